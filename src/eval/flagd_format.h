// flagd flag-definition JSON (https://flagd.dev/reference/flag-definitions/,
// schema https://flagd.dev/schema/v0/flags.json): import into and export
// from an EnvironmentConfig.
//
// Import is all-or-nothing and validates as much as the snapshot build
// does (it compiles the targeting), so a file that imports also builds.
// Errors are kInvalidArgument with the JSON path of the offending element,
// e.g. `flags.checkout.targeting.if[1]: unknown operation "fractionl"`.
// Pure functions; thread-safe.
#ifndef WARDEN_EVAL_FLAGD_FORMAT_H_
#define WARDEN_EVAL_FLAGD_FORMAT_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "eval/environment_config.h"
#include "eval/limits.h"

namespace warden::eval {

// Parses a flagd document into flags, $evaluators and flag-set metadata
// (tenants, segments and limits stay empty). Flag types are inferred from
// the variant values (all booleans, all strings, all integers, all numbers,
// all objects); mixed variants are refused. Flag metadata "owner",
// "release" and "description" fill FlagMetadata's fields.
Result<EnvironmentConfig> ImportFlagd(std::string_view json,
                                      const EvalLimits& limits = {});

// Serializes the flags, $evaluators and metadata of `config` as a flagd
// document. Native rules and rollouts become JsonLogic that evaluates the
// same way (rules -> if/and, rollout -> fractional); the off variant is kept
// in flag metadata "offVariant" (read back by ImportFlagd). Operators with
// no exact JsonLogic equivalent (regex, before/after, numeric comparisons,
// contains, not_in, segments) give kFailedPrecondition naming the
// condition's path. One difference remains: a rollout evaluated without a
// targeting key is TARGETING_KEY_MISSING in Warden and the default in flagd.
// Tenants, segments and limits are not part of the flagd format.
Result<std::string> ExportFlagd(const EnvironmentConfig& config);

}  // namespace warden::eval

#endif  // WARDEN_EVAL_FLAGD_FORMAT_H_
