// SnapshotBuilder: validates an EnvironmentConfig and compiles it into an
// immutable Snapshot. All-or-nothing: any invalid element fails the build
// with kInvalidArgument naming its path, e.g.
//   flags.checkout.rules[0].conditions[1]: regex invalid pattern: ...
//   flags.checkout.targeting.if[1]: unknown operation "fractionl"
//   limits[2] (kill-eu): unknown segment "eu"
//
// Thread-safety: Build is const and may run on any thread.
#ifndef WARDEN_EVAL_SNAPSHOT_BUILDER_H_
#define WARDEN_EVAL_SNAPSHOT_BUILDER_H_

#include <memory>

#include "core/status.h"
#include "eval/environment_config.h"
#include "eval/limits.h"
#include "eval/snapshot.h"

namespace warden::eval {

class SnapshotBuilder {
 public:
  explicit SnapshotBuilder(EvalLimits limits = {}) : limits_(limits) {}

  // Takes the config by value: the snapshot keeps it (Snapshot::config()).
  Result<std::shared_ptr<const Snapshot>> Build(EnvironmentConfig config,
                                                uint64_t version = 0) const;

 private:
  EvalLimits limits_;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_SNAPSHOT_BUILDER_H_
