// Snapshot: one environment's flags, tenants, segments and exposure limits,
// compiled and immutable. Built by SnapshotBuilder (snapshot_builder.h)
// from sections it may share with other snapshots (snapshot_sections.h);
// the server publishes it in exposure::ConfigFeed, the SDK in FlagClient.
//
// Evaluation order (each step returns when it decides):
//   1. flag not found          -> ERROR, FLAG_NOT_FOUND
//   2. requested type differs  -> ERROR, TYPE_MISMATCH (integer flags may be
//                                 read as float)
//   3. flag disabled           -> DISABLED, no value
//   4. exposure limits, in the order given -> LIMITED with the limit's id
//      and what eval/off_variant.h says: a boolean flag is false; another
//      flag serves its off variant (else its default variant, else no value)
//   5. targeting whose $ref names a missing evaluator -> ERROR, PARSE_ERROR
//      (as flagd answers it)
//   6. targeting: native rules in order -> TARGETING_MATCH; or the JsonLogic
//      expression with flagd's semantics (null -> default variant with
//      DEFAULT; true/false -> the variant named "true"/"false"; a variant
//      name -> TARGETING_MATCH; anything else -> ERROR, GENERAL)
//   7. rollout (native only)   -> SPLIT; needs a targeting key, else ERROR,
//                                 TARGETING_KEY_MISSING
//   8. default variant         -> STATIC when the flag has no targeting and
//                                 no rollout, DEFAULT otherwise; no value
//                                 when there is no default variant
//
// Thread-safety: immutable; any number of threads may evaluate at once.
// Evaluating a boolean flag with native rules does not allocate (results
// point into the snapshot; only error messages allocate).
#ifndef WARDEN_EVAL_SNAPSHOT_H_
#define WARDEN_EVAL_SNAPSHOT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "eval/environment_config.h"
#include "eval/evaluation.h"
#include "eval/snapshot_sections.h"

namespace warden::eval {

struct CompiledFlag;
struct SnapshotData;

class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // Evaluates `flag_key` for `ctx`. With `expected_type`, a flag of another
  // type gives TYPE_MISMATCH. Never fails otherwise: errors are results.
  EvaluationResult Evaluate(
      std::string_view flag_key, const EvaluationContext& ctx,
      std::optional<FlagType> expected_type = std::nullopt) const;

  // Bulk evaluation (OFREP bulk): every flag, in key order.
  void EvaluateAll(
      const EvaluationContext& ctx,
      const std::function<void(std::string_view flag_key,
                               const EvaluationResult&)>& fn) const;

  // The sections this snapshot was linked from (for export, for shipping
  // to SDKs, and as the base of the next build): every member non-null.
  const SnapshotSections& sections() const;
  // Caller-chosen version (e.g. a change sequence number or event id).
  uint64_t version() const;
  size_t flag_count() const;
  bool HasFlag(std::string_view flag_key) const;
  // Flag keys in order.
  std::vector<std::string_view> FlagKeys() const;

  // The id of the first exposure limit that covers every flag (it names
  // no flags) and whose scope matches `ctx`, or empty: such a limit turns
  // off whatever is tied to that tenant or integration, access decisions
  // included, not only flags. Does not allocate.
  std::string_view LimitOnEverything(const EvaluationContext& ctx) const;

  // Internal: the tenant registered under `key`, or nullptr.
  const Tenant* FindTenant(std::string_view key) const;

 private:
  friend class SnapshotBuilder;
  explicit Snapshot(std::unique_ptr<SnapshotData> data);
  EvaluationResult EvaluateFlag(const CompiledFlag& flag,
                                const EvaluationContext& ctx) const;

  std::unique_ptr<SnapshotData> data_;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_SNAPSHOT_H_
