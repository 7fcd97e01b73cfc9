// Flag model: the editable, uncompiled description of a feature flag in one
// environment. Plain value types; a SnapshotBuilder validates and compiles
// them into an immutable Snapshot (snapshot.h). Nothing here is thread-safe
// beyond what plain values are (share by const reference).
#ifndef WARDEN_EVAL_FLAG_H_
#define WARDEN_EVAL_FLAG_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::eval {

enum class FlagType { kBoolean, kString, kInteger, kFloat, kObject };
// "boolean", "string", "integer", "float", "object".
std::string_view FlagTypeName(FlagType type);
Result<FlagType> ParseFlagType(std::string_view name);

enum class FlagState { kEnabled, kDisabled };

// The bucketing algorithm is a versioned per-flag field so re-bucketing is
// never silent. kBucketingFlagdFractionalV2 is flagd's current fractional
// bucketing: MurmurHash3 x86_32 (seed 0) over flag key + targeting key,
// bucket = (uint64(hash) * total_weight) >> 32.
inline constexpr std::string_view kBucketingFlagdFractionalV2 =
    "flagd-fractional-v2";

// Operators of native targeting conditions. The attribute is a dotted path
// into the evaluation context ("targetingKey" is the targeting key), falling
// back to the attributes of the tenant named by the targeting key. A missing
// attribute makes every operator false (not_in and not_in_segment included,
// except not_in_segment which looks at the targeting key only).
enum class ConditionOp {
  kEquals,      // operand: scalar
  kIn,          // operand: array of scalars
  kNotIn,       // operand: array of scalars
  kStartsWith,  // operand: string
  kEndsWith,    // operand: string
  kContains,    // operand: string (substring) or scalar (array element)
  kRegex,       // operand: RE2 pattern, partial match
  kLt,          // operand: number
  kLe,
  kGt,
  kGe,
  kSemverEq,  // operand: semantic version string ("v" prefix optional)
  kSemverLt,
  kSemverLe,
  kSemverGt,
  kSemverGe,
  kBefore,  // operand: RFC 3339 string or unix seconds
  kAfter,
  kInSegment,     // operand: segment key; attribute ignored
  kNotInSegment,  // operand: segment key; attribute ignored
};
// Stable wire names: "equals", "in", "not_in", "starts_with", "ends_with",
// "contains", "regex", "lt", "le", "gt", "ge", "semver_eq", "semver_lt",
// "semver_le", "semver_gt", "semver_ge", "before", "after", "in_segment",
// "not_in_segment".
std::string_view ConditionOpName(ConditionOp op);
Result<ConditionOp> ParseConditionOp(std::string_view name);

struct Condition {
  std::string attribute;  // dotted path; ignored by segment operators
  ConditionOp op = ConditionOp::kEquals;
  boost::json::value operand;
};

// A rule matches when all its conditions match; it then serves `variant`.
struct TargetingRule {
  std::vector<Condition> conditions;
  std::string variant;
};

struct WeightedVariant {
  std::string variant;
  int32_t weight = 0;  // >= 0; weights need not sum to 100
};

struct FlagVariant {
  std::string name;
  boost::json::value value;
};

struct FlagMetadata {
  std::string owner_team;
  std::string release;
  std::string description;
  // Any other metadata (flagd's free-form flag metadata), string, number or
  // boolean values only.
  boost::json::object extra;
};

struct Flag {
  std::string key;
  FlagType type = FlagType::kBoolean;
  FlagState state = FlagState::kEnabled;
  std::vector<FlagVariant> variants;  // names unique; order kept for export
  std::optional<std::string> default_variant;  // absent: code default
  // Served while an exposure limit covers the flag; falls back to the
  // default variant when absent.
  std::optional<std::string> off_variant;
  // Native targeting: rules in order, then the rollout. Mutually exclusive
  // with `json_logic`.
  std::vector<TargetingRule> rules;
  std::vector<WeightedVariant> rollout;
  // flagd JsonLogic targeting, kept as written (may use "$ref").
  std::optional<boost::json::value> json_logic;
  std::string bucketing{kBucketingFlagdFractionalV2};
  FlagMetadata metadata;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_FLAG_H_
