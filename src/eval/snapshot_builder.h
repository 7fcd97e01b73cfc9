// SnapshotBuilder: validates an environment's configuration and compiles it
// into an immutable Snapshot. All-or-nothing: any invalid element fails the
// build with kInvalidArgument naming its path, e.g.
//   flags.checkout.rules[0].conditions[1]: regex invalid pattern: ...
//   flags.checkout.targeting.if[1]: unknown operation "fractionl"
//   limits[2] (kill-eu): unknown segment "eu"
//
// Two ways to build. Build compiles a whole EnvironmentConfig. Link builds
// from sections (snapshot_sections.h), typically the previous snapshot's
// with the changed ones replaced: the tenant and segment tables are shared
// as they are (compiled once, by CompileTenants / CompileSegments), and only
// the rule part (flags, limits, gates) is compiled, in time proportional to
// the flags, limits and gates, not to the tenants. Both give the same
// results and the same errors for the same configuration.
//
// Thread-safety: every method is const and may run on any thread.
#ifndef WARDEN_EVAL_SNAPSHOT_BUILDER_H_
#define WARDEN_EVAL_SNAPSHOT_BUILDER_H_

#include <memory>
#include <vector>

#include "core/status.h"
#include "eval/environment_config.h"
#include "eval/limits.h"
#include "eval/snapshot.h"
#include "eval/snapshot_sections.h"

namespace warden::eval {

class SnapshotBuilder {
 public:
  explicit SnapshotBuilder(EvalLimits limits = {}) : limits_(limits) {}

  // Compiles `config` whole. Takes it by value: the snapshot keeps its
  // parts (Snapshot::sections()).
  Result<std::shared_ptr<const Snapshot>> Build(EnvironmentConfig config,
                                                uint64_t version = 0) const;

  // Compiles the rule part of `sections` against its tenant and segment
  // tables, which the snapshot shares. A null member links as empty.
  Result<std::shared_ptr<const Snapshot>> Link(SnapshotSections sections,
                                               uint64_t version = 0) const;

  // One table, for Link. Fails on an empty or duplicate key, naming its
  // index ("tenants[3]: duplicate tenant \"acme\""); segments also on a
  // member list over EvalLimits::max_segment_tenants or an invalid rule.
  Result<std::shared_ptr<const TenantTable>> CompileTenants(
      std::vector<Tenant> tenants) const;
  Result<std::shared_ptr<const SegmentTable>> CompileSegments(
      std::vector<Segment> segments) const;

 private:
  EvalLimits limits_;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_SNAPSHOT_BUILDER_H_
