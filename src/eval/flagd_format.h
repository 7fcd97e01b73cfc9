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
// document. kFailedPrecondition naming the flag when one uses native rules
// or a rollout (flagd has no equivalent; not translated yet).
Result<std::string> ExportFlagd(const EnvironmentConfig& config);

}  // namespace warden::eval

#endif  // WARDEN_EVAL_FLAGD_FORMAT_H_
