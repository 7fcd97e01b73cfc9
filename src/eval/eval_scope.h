// Internal to src/eval: what one evaluation looks attributes up in.
#ifndef WARDEN_EVAL_EVAL_SCOPE_H_
#define WARDEN_EVAL_EVAL_SCOPE_H_

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "eval/evaluation.h"
#include "eval/string_bytes.h"
#include "eval/tenant.h"

namespace warden::eval {

class Snapshot;

// Contexts are small objects; up to this many members a scan with inline
// compares beats Boost.JSON's lookup (which calls memcmp per candidate).
inline constexpr size_t kScanMembers = 16;

// object[key], or nullptr. Keys of a boost::json::object are unique, so the
// first match is the one.
inline const boost::json::value* FindMember(const boost::json::object& object,
                                            std::string_view key) {
  if (object.size() > kScanMembers) return object.if_contains(key);
  for (const auto& member : object) {
    if (BytesEqual(member.key(), key)) return &member.value();
  }
  return nullptr;
}

// A dotted attribute path split once at compile time. "targetingKey",
// "$flagd.flagKey" and "$flagd.timestamp" are injected values.
struct AttributePath {
  enum class Root { kAttribute, kTargetingKey, kFlagKey, kTimestamp };
  Root root = Root::kAttribute;
  std::vector<std::string> parts;
  std::string text;

  static AttributePath Parse(std::string_view dotted);
};

// One attribute value found by a lookup; views into the context, the
// snapshot or the scope.
struct AttributeRef {
  enum class Kind { kMissing, kJson, kString, kNumber };
  Kind kind = Kind::kMissing;
  const boost::json::value* json = nullptr;
  std::string_view str;
  double num = 0;

  bool missing() const {
    return kind == Kind::kMissing || (kind == Kind::kJson && json->is_null());
  }
  // The string, if the value is one. Inline: on every condition's path.
  bool AsString(std::string_view* out) const {
    if (kind == Kind::kString) {
      *out = str;
      return true;
    }
    if (kind == Kind::kJson && json->is_string()) {
      *out = json->get_string();
      return true;
    }
    return false;
  }
  bool AsNumber(double* out) const {
    if (kind == Kind::kNumber) {
      *out = num;
      return true;
    }
    if (kind == Kind::kJson && json->is_number()) {
      *out = json->to_number<double>();
      return true;
    }
    return false;
  }
};

// State of one evaluation. Not shared between threads.
class EvalScope {
 public:
  EvalScope(const EvaluationContext& ctx, std::string_view flag_key,
            const Snapshot& snapshot)
      : ctx_(ctx), flag_key_(flag_key), snapshot_(snapshot) {}

  const EvaluationContext& ctx() const { return ctx_; }
  std::string_view flag_key() const { return flag_key_; }
  // The tenant named by the targeting key, or nullptr (looked up once).
  const Tenant* tenant() const;
  // Inline for the common case (a top-level attribute the context has):
  // every native condition starts here.
  AttributeRef Lookup(const AttributePath& path) const {
    if (path.root == AttributePath::Root::kAttribute &&
        path.parts.size() == 1 && !ctx_.stored_attributes_first) {
      if (const auto* v = FindMember(ctx_.attributes, path.parts[0])) {
        AttributeRef ref;
        ref.kind = AttributeRef::Kind::kJson;
        ref.json = v;
        return ref;
      }
    }
    return LookupSlow(path);
  }

 private:
  // Injected values, nested paths, the tenant's attributes and the
  // stored-first order (EvaluationContext::stored_attributes_first).
  AttributeRef LookupSlow(const AttributePath& path) const;

  const EvaluationContext& ctx_;
  std::string_view flag_key_;
  const Snapshot& snapshot_;
  mutable bool tenant_resolved_ = false;
  mutable const Tenant* tenant_ = nullptr;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_EVAL_SCOPE_H_
