// Internal to src/eval: native targeting conditions and segments, compiled.
#ifndef WARDEN_EVAL_CONDITION_H_
#define WARDEN_EVAL_CONDITION_H_

#include <re2/re2.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/status.h"
#include "eval/eval_scope.h"
#include "eval/flag.h"
#include "eval/flat_string_map.h"
#include "eval/limits.h"
#include "eval/semver.h"

namespace warden::eval {

// Hash and equality that let string sets be probed with a string_view
// without building a std::string (no allocation on the read path).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

class CompiledSegment;

// A condition compiled once: operands parsed, regexes built, segments
// resolved. Immutable; Matches is thread-safe and does not allocate.
class CompiledCondition {
 public:
  // `find_segment` resolves segment keys (nullptr when unknown); `path`
  // prefixes error messages.
  static Result<CompiledCondition> Compile(
      const Condition& condition, std::string_view path,
      const std::function<const CompiledSegment*(std::string_view)>&
          find_segment,
      const EvalLimits& limits);

  bool Matches(const EvalScope& scope) const;

 private:
  bool MatchesValue(const AttributeRef& attr) const;
  bool MatchesScalar(const boost::json::value& v) const;
  bool InList(const AttributeRef& attr) const;

  ConditionOp op_ = ConditionOp::kEquals;
  AttributePath path_;
  boost::json::value operand_;
  StringSet strings_;  // in / not_in: string members
  // Short lists are scanned: cheaper than hashing the attribute.
  std::vector<std::string> short_strings_;
  std::vector<double> numbers_;  // in / not_in: numeric members
  std::vector<bool> bools_;      // in / not_in: boolean members
  double number_ = 0;            // lt..ge; before/after (unix seconds)
  std::string text_;  // equals (string operand), starts_with, ends_with,
                      // contains
  std::shared_ptr<const RE2> regex_;
  std::optional<SemVer> semver_;
  const CompiledSegment* segment_ = nullptr;
};

class CompiledSegment {
 public:
  std::string key;
  FlatStringMap<bool> members;  // views into the snapshot's config
  std::vector<CompiledCondition> rules;

  bool Contains(const EvalScope& scope) const;
};

// Unix seconds of an RFC 3339 string or a number; nullopt otherwise.
std::optional<double> ParseInstant(const AttributeRef& attr);

}  // namespace warden::eval

#endif  // WARDEN_EVAL_CONDITION_H_
