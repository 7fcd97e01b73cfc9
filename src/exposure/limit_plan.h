// LimitPlan: what setting one exposure limit does, computed from the store
// as it stands and without changing it. It is the one planning step of
// LimitService::Set (which then applies it in the same write unit) and of
// LimitService::Preview (which only answers it), so a preview and the
// apply that follows on the same state cannot disagree:
//   - the limit as it would be stored (a release limit's flags resolved);
//   - the enabled flags it covers, turned off or not (eval/off_variant.h);
//   - what it is tied to (limit_ties.h): the tenants and identities whose
//     tokens it revokes, counted as the LimitEnforcer would count them;
//   - the static secrets whose rotation a release limit queues.
//
// Pure reads inside the caller's transaction; thread-compatible.
#ifndef WARDEN_EXPOSURE_LIMIT_PLAN_H_
#define WARDEN_EXPOSURE_LIMIT_PLAN_H_

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "exposure/limit_enforcer.h"
#include "exposure/limit_report.h"
#include "exposure/limit_ties.h"
#include "store/store.h"

namespace warden::exposure {

// A flag the limit turns off in one environment.
struct FlagTurnedOff {
  Environment environment = Environment::kDevelopment;
  std::string flag;
};

struct LimitPlan {
  ExposureLimitRecord limit;  // as it would be inserted
  // What the apply reports, timings aside (they are measured by the apply).
  // tokens_revoked is what the enforcer would revoke (none without one).
  LimitReport report;
  // The flags counted by report.flags_turned_off, environment and key
  // order, at most kMaxReportedFlags (the rest counted in *_omitted).
  std::vector<FlagTurnedOff> turned_off;
  size_t turned_off_omitted = 0;
  LimitTies ties;
  // The secrets whose rotation it queues (scope "release" only); also in
  // report.rotations_queued.
  std::vector<std::string> rotations;
};

// Plans `limit` (scope, values, flags, environment, reason set; requests
// already validated). `enforcer` (may be null: no token is revoked) is only
// asked to count. kInvalidArgument for a release that does not exist or
// ships no flag; otherwise the store's error.
Result<LimitPlan> PlanLimit(Transaction& tx, ExposureLimitRecord limit,
                            const LimitEnforcer* enforcer);

// The answer of POST /v1/limits/preview:
//   {"limit": {"scope", "values", "flags", "environment", "reason"},
//    "everyone": bool (scopes flags and release: every evaluation),
//    "flags_turned_off": [{"environment", "flag"}], "flags_turned_off_omitted",
//    "tenants": [...], "tenants_omitted", "identities": [...],
//    "identities_omitted", "report": LimitReportToJson (timings zero)}
// Lists are cut at kMaxReportedFlags entries; the counts are whole.
boost::json::object LimitPlanToJson(const LimitPlan& plan);

// Applies the part of `plan` that is state besides the limit row: queues
// the planned secret rotations (rotation due now). Inside the limit's unit.
Status QueuePlannedRotations(Transaction& tx, const LimitPlan& plan,
                             Timestamp now);

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_LIMIT_PLAN_H_
