// Evaluation context and result: what callers pass in and get back.
//
// OpenFeature / OFREP vocabulary: reasons and error codes have the
// specification's names (ReasonName, ErrorCodeName).
#ifndef WARDEN_EVAL_EVALUATION_H_
#define WARDEN_EVAL_EVALUATION_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "eval/flag.h"

namespace warden::eval {

struct EvaluationContext {
  std::string targeting_key;  // the tenant key; may be empty
  boost::json::object attributes;
  // "Now" for $flagd.timestamp; callers take it from their Clock.
  Timestamp now{};
  // Which source wins when the context and the registered tenant (the one
  // named by targeting_key) both hold an attribute. false (server-side
  // callers, who are trusted with the context): the context, falling back
  // to the tenant's stored attributes. true (tenant-bound callers, whose
  // context is a claim): the stored attributes, falling back to the
  // context, so a claimed {"region": "us"} cannot escape a rule on the
  // stored region (segment rules, targeting and limits alike).
  bool stored_attributes_first = false;
};

enum class Reason {
  kStatic,          // no targeting: the default variant
  kDefault,         // targeting did not match: default variant or code default
  kTargetingMatch,  // a rule (or JsonLogic) chose the variant
  kSplit,           // the percentage rollout chose the variant
  kDisabled,        // flag disabled: no value, use the code default
  kError,           // see error_code
  kLimited,         // an exposure limit applies: off (eval/off_variant.h)
  kGated,           // a release gate holds it: approval or opt-in missing; off
  kStaged,          // outside the release stage's audience: off
};
// "STATIC", "DEFAULT", "TARGETING_MATCH", "SPLIT", "DISABLED", "ERROR",
// "LIMITED", "GATED", "STAGED".
std::string_view ReasonName(Reason reason);

enum class ErrorCode {
  kNone,
  kFlagNotFound,
  kParseError,
  kTypeMismatch,
  kTargetingKeyMissing,
  kInvalidContext,
  kGeneral,
};
// "" for kNone, else "FLAG_NOT_FOUND", "PARSE_ERROR", "TYPE_MISMATCH",
// "TARGETING_KEY_MISSING", "INVALID_CONTEXT", "GENERAL".
std::string_view ErrorCodeName(ErrorCode code);

// The outcome of one evaluation. Pointers and views point into the Snapshot
// that produced the result: keep that snapshot (its shared_ptr) alive while
// using them. Only error paths allocate (error_message).
struct EvaluationResult {
  // The served variant's value; nullptr means "no value: use the code
  // default" (disabled flag, no default variant, errors).
  const boost::json::value* value = nullptr;
  std::string_view variant;  // empty when value is nullptr
  Reason reason = Reason::kError;
  ErrorCode error_code = ErrorCode::kNone;
  std::string error_message;
  std::string_view limit_id;  // set when reason == kLimited
  // Set when reason is kGated or kStaged (eval/release_gate.h).
  std::string_view release_id;
  std::string_view release_stage;
  // kGated: "opt_in" or "approval"; the pending approval's id, if any.
  std::string_view gate_requirement;
  std::string_view gate_approval_id;
  // kTargetingMatch by a native rule: its index in Flag::rules; else -1.
  int rule_index = -1;
  FlagType type = FlagType::kBoolean;
  // Flag metadata merged over flag-set metadata (flagd/OFREP "metadata");
  // nullptr only when the flag was not found.
  const boost::json::object* metadata = nullptr;

  bool ok() const { return error_code == ErrorCode::kNone; }
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_EVALUATION_H_
