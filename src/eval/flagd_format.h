// flagd flag-definition JSON (https://flagd.dev/reference/flag-definitions/,
// schema https://flagd.dev/schema/v0/flags.json): import into and export
// from an EnvironmentConfig.
//
// Import is all-or-nothing and validates as much as the snapshot build
// does (it compiles the targeting), so a file that imports also builds.
// Errors are kInvalidArgument with the JSON path of the offending element,
// e.g. `flags.checkout.targeting.if[1]: unknown operation "fractionl"`.
// What flagd loads and only degrades at evaluation is imported the same
// way and reported as a warning with its path (eval/config_warning.h): a
// $ref to a missing evaluator (the flag answers PARSE_ERROR), sem_ver /
// starts_with / ends_with with the wrong number of arguments or a literal
// sem_ver operand flagd cannot parse (null), an offVariant that names no
// variant or, on a boolean flag, a true one (ignored), and a non-boolean
// flag whose off variant cannot be inferred (eval/off_variant.h).
// Pure functions; thread-safe.
#ifndef WARDEN_EVAL_FLAGD_FORMAT_H_
#define WARDEN_EVAL_FLAGD_FORMAT_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "eval/config_warning.h"
#include "eval/environment_config.h"
#include "eval/limits.h"

namespace warden::eval {

// A flagd document as read: its flags, $evaluators and flag-set metadata
// (tenants, segments and limits stay empty), which of the two shared
// sections the file has at all, and the warnings in document order
// (duplicates removed; at most kMaxImportWarnings, the rest counted).
struct FlagdDocument {
  EnvironmentConfig config;
  bool has_evaluators = false;
  bool has_metadata = false;
  ConfigWarnings warnings;
  size_t warnings_omitted = 0;
};

// Warnings kept per document: an answer (and a CLI screen) stays readable;
// a file with more problems than this is fixed in rounds.
inline constexpr size_t kMaxImportWarnings = 1'000;

// Parses a flagd document. Flag types are inferred from the variant
// values (all booleans, all strings, all integers, all numbers, all
// objects); mixed variants are refused. Flag metadata "owner", "release"
// and "description" fill FlagMetadata's fields, "offVariant" the off
// variant. Targeting compiles against the file's $evaluators, or against
// `stored_evaluators` when the file has none (an import leaves the stored
// ones in place then).
Result<FlagdDocument> ReadFlagd(std::string_view json, const EvalLimits& limits,
                                const boost::json::object& stored_evaluators);

// ReadFlagd without stored evaluators, keeping only the configuration.
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
