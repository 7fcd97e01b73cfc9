#include "eval/eval_scope.h"

#include <charconv>

#include "eval/snapshot.h"

namespace warden::eval {
namespace {

// Walks `parts` from `root`; array elements by decimal index.
const boost::json::value* Walk(const boost::json::value* v,
                               const std::vector<std::string>& parts,
                               size_t from) {
  for (size_t i = from; i < parts.size() && v != nullptr; ++i) {
    const std::string& part = parts[i];
    if (v->is_object()) {
      v = FindMember(v->get_object(), part);
    } else if (v->is_array()) {
      size_t index = 0;
      auto [ptr, ec] =
          std::from_chars(part.data(), part.data() + part.size(), index);
      if (ec != std::errc() || ptr != part.data() + part.size()) return nullptr;
      v = v->get_array().if_contains(index);
    } else {
      return nullptr;
    }
  }
  return v;
}

const boost::json::value* Find(const boost::json::object& root,
                               const std::vector<std::string>& parts) {
  if (parts.empty()) return nullptr;
  const boost::json::value* first = FindMember(root, parts[0]);
  if (first == nullptr || parts.size() == 1) return first;
  return Walk(first, parts, 1);
}

}  // namespace

AttributePath AttributePath::Parse(std::string_view dotted) {
  AttributePath path;
  path.text = dotted;
  if (dotted == "targetingKey") {
    path.root = Root::kTargetingKey;
  } else if (dotted == "$flagd.flagKey") {
    path.root = Root::kFlagKey;
  } else if (dotted == "$flagd.timestamp") {
    path.root = Root::kTimestamp;
  }
  size_t start = 0;
  while (!dotted.empty()) {
    size_t dot = dotted.find('.', start);
    path.parts.emplace_back(dotted.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return path;
}

const Tenant* EvalScope::tenant() const {
  if (!tenant_resolved_) {
    tenant_resolved_ = true;
    if (!ctx_.targeting_key.empty()) {
      tenant_ = snapshot_.FindTenant(ctx_.targeting_key);
    }
  }
  return tenant_;
}

AttributeRef EvalScope::LookupSlow(const AttributePath& path) const {
  AttributeRef ref;
  switch (path.root) {
    case AttributePath::Root::kTargetingKey:
      if (!ctx_.targeting_key.empty()) {
        ref.kind = AttributeRef::Kind::kString;
        ref.str = ctx_.targeting_key;
        return ref;
      }
      break;  // fall back to a "targetingKey" attribute
    case AttributePath::Root::kFlagKey:
      ref.kind = AttributeRef::Kind::kString;
      ref.str = flag_key_;
      return ref;
    case AttributePath::Root::kTimestamp:
      ref.kind = AttributeRef::Kind::kNumber;
      ref.num = static_cast<double>(ToUnixSeconds(ctx_.now));
      return ref;
    case AttributePath::Root::kAttribute:
      break;
  }
  const boost::json::value* v = nullptr;
  if (ctx_.stored_attributes_first && tenant() != nullptr) {
    v = Find(tenant()->attributes, path.parts);
    if (v == nullptr) v = Find(ctx_.attributes, path.parts);
  } else {
    v = Find(ctx_.attributes, path.parts);
    if (v == nullptr && tenant() != nullptr) {
      v = Find(tenant()->attributes, path.parts);
    }
  }
  if (v != nullptr) {
    ref.kind = AttributeRef::Kind::kJson;
    ref.json = v;
  }
  return ref;
}

}  // namespace warden::eval
