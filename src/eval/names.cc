// Stable wire names of the eval vocabulary enums.
#include <array>
#include <utility>

#include "eval/evaluation.h"
#include "eval/exposure_limit.h"
#include "eval/flag.h"

namespace warden::eval {
namespace {

template <typename E, size_t N>
Result<E> ParseName(const std::array<std::pair<E, std::string_view>, N>& table,
                    std::string_view name, std::string_view what) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return InvalidArgument("unknown " + std::string(what) + " \"" +
                         std::string(name) + "\"");
}

template <typename E, size_t N>
std::string_view NameOf(
    const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "unknown";
}

constexpr std::array<std::pair<FlagType, std::string_view>, 5> kFlagTypes{{
    {FlagType::kBoolean, "boolean"},
    {FlagType::kString, "string"},
    {FlagType::kInteger, "integer"},
    {FlagType::kFloat, "float"},
    {FlagType::kObject, "object"},
}};

constexpr std::array<std::pair<ConditionOp, std::string_view>, 20> kOps{{
    {ConditionOp::kEquals, "equals"},
    {ConditionOp::kIn, "in"},
    {ConditionOp::kNotIn, "not_in"},
    {ConditionOp::kStartsWith, "starts_with"},
    {ConditionOp::kEndsWith, "ends_with"},
    {ConditionOp::kContains, "contains"},
    {ConditionOp::kRegex, "regex"},
    {ConditionOp::kLt, "lt"},
    {ConditionOp::kLe, "le"},
    {ConditionOp::kGt, "gt"},
    {ConditionOp::kGe, "ge"},
    {ConditionOp::kSemverEq, "semver_eq"},
    {ConditionOp::kSemverLt, "semver_lt"},
    {ConditionOp::kSemverLe, "semver_le"},
    {ConditionOp::kSemverGt, "semver_gt"},
    {ConditionOp::kSemverGe, "semver_ge"},
    {ConditionOp::kBefore, "before"},
    {ConditionOp::kAfter, "after"},
    {ConditionOp::kInSegment, "in_segment"},
    {ConditionOp::kNotInSegment, "not_in_segment"},
}};

constexpr std::array<std::pair<LimitScope, std::string_view>, 5> kScopes{{
    {LimitScope::kTenant, "tenant"},
    {LimitScope::kIntegration, "integration"},
    {LimitScope::kAccountOwner, "account_owner"},
    {LimitScope::kSegment, "segment"},
    {LimitScope::kFlags, "flags"},
}};

constexpr std::array<std::pair<Reason, std::string_view>, 9> kReasons{{
    {Reason::kStatic, "STATIC"},
    {Reason::kDefault, "DEFAULT"},
    {Reason::kTargetingMatch, "TARGETING_MATCH"},
    {Reason::kSplit, "SPLIT"},
    {Reason::kDisabled, "DISABLED"},
    {Reason::kError, "ERROR"},
    {Reason::kLimited, "LIMITED"},
    {Reason::kGated, "GATED"},
    {Reason::kStaged, "STAGED"},
}};

constexpr std::array<std::pair<ErrorCode, std::string_view>, 7> kErrors{{
    {ErrorCode::kNone, ""},
    {ErrorCode::kFlagNotFound, "FLAG_NOT_FOUND"},
    {ErrorCode::kParseError, "PARSE_ERROR"},
    {ErrorCode::kTypeMismatch, "TYPE_MISMATCH"},
    {ErrorCode::kTargetingKeyMissing, "TARGETING_KEY_MISSING"},
    {ErrorCode::kInvalidContext, "INVALID_CONTEXT"},
    {ErrorCode::kGeneral, "GENERAL"},
}};

}  // namespace

std::string_view FlagTypeName(FlagType type) {
  return NameOf(kFlagTypes, type);
}
Result<FlagType> ParseFlagType(std::string_view name) {
  return ParseName(kFlagTypes, name, "flag type");
}
std::string_view ConditionOpName(ConditionOp op) { return NameOf(kOps, op); }
Result<ConditionOp> ParseConditionOp(std::string_view name) {
  return ParseName(kOps, name, "operator");
}
std::string_view LimitScopeName(LimitScope scope) {
  return NameOf(kScopes, scope);
}
Result<LimitScope> ParseLimitScope(std::string_view name) {
  return ParseName(kScopes, name, "limit scope");
}
std::string_view ReasonName(Reason reason) { return NameOf(kReasons, reason); }
std::string_view ErrorCodeName(ErrorCode code) { return NameOf(kErrors, code); }

}  // namespace warden::eval
