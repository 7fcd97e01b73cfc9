// Releases: what a deploy ships (flags), what it depends on (identities,
// integrations), how risky it is, its notes and its exposure plan.
// Recording is deployment, not availability: it is never blocked by limits
// or pending approvals, and the release's flags start dark (stage
// "deployed"). Stage changes are the StageController's.
//
// Every call is one audited Store::Write (or audited read); a change that
// moves exposure republishes the environment's gates before returning.
// Thread-safe.
#ifndef WARDEN_RELEASES_RELEASE_SERVICE_H_
#define WARDEN_RELEASES_RELEASE_SERVICE_H_

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "approvals/approval_engine.h"
#include "exposure/exposure_publisher.h"
#include "releases/readiness.h"
#include "releases/rollback_runbook.h"
#include "service/auditor.h"

namespace warden::releases {

inline constexpr size_t kMaxReleaseItems = 1'000;

struct ReleaseRequest {
  std::string service;
  std::string version;
  std::optional<Environment> environment;  // default production
  std::string owner;                       // team
  std::vector<std::string> flags;
  std::vector<std::string> identities;  // ids or names
  std::vector<std::string> integrations;
  std::optional<RiskTier> risk_tier;  // derived when absent
  boost::json::value notes;           // null: none
  boost::json::value plan;            // null: DefaultPlan()
};

// The environment whose gates a release change moved, republished.
Status PublishGates(exposure::ExposurePublisher& publisher, Environment env,
                    std::string_view kind, std::string_view release_id);

// Reverse views: what depends on a release or a flag. Live tokens are not
// enumerable (Warden keeps no row per token, by design): an identity's
// entry says whether it can hold live tokens (status active) and when it
// last used one; revoking them all is one epoch bump (limits, suspend).
struct Dependents {
  std::vector<std::string> releases;  // release ids, newest first
  std::vector<std::string> flags;
  std::vector<Identity> identities;
  std::vector<std::string> integrations;
};

class ReleaseService {
 public:
  ReleaseService(Store& store, Auditor& auditor,
                 exposure::ExposurePublisher& publisher,
                 approvals::ApprovalEngine& approvals)
      : store_(store),
        auditor_(auditor),
        publisher_(publisher),
        approvals_(approvals) {}

  // Setup: the approval kinds this domain owns (tenant activations
  // republish the gates when decided; both kinds describe their release in
  // the inbox).
  void RegisterApprovalKinds();

  // 201: kInvalidArgument naming the field (unknown identity, a declared
  // risk tier below the derived one, a bad plan), kPermissionDenied.
  Result<ReleaseRecord> Record(const Caller& caller, ReleaseRequest request);
  Result<ReleaseRecord> Get(const Caller& caller, std::string_view id);
  // Reverse views through the filter (flag, identity, integration).
  Result<Page<ReleaseRecord>> List(const Caller& caller,
                                   const ReleaseFilter& filter,
                                   const PageRequest& page);

  Result<Dependents> DependenciesOf(const Caller& caller, std::string_view id);
  // The releases of `env` shipping the flag, their identities and
  // integrations, and the identities whose tokens the flag gates.
  Result<Dependents> DependentsOfFlag(const Caller& caller, Environment env,
                                      std::string_view flag);

  Result<Readiness> CheckReadiness(const Caller& caller, std::string_view id);
  Result<Runbook> GetRunbook(const Caller& caller, std::string_view id);
  // Regenerates the rollback runbook from what the release depends on now
  // and dry-runs it; both are stored with the release.
  Result<Runbook> DryRunRunbook(const Caller& caller, std::string_view id);

  // Opens a tenant_activation approval for `tenant` (decided by the
  // tenant's account manager). kFailedPrecondition "activation-not-needed"
  // when the release's tier needs no per-tenant clearance,
  // "no-account-manager" when the tenant has none.
  Result<ApprovalRecord> RequestActivation(const Caller& caller,
                                           std::string_view id,
                                           std::string_view tenant,
                                           std::string reason);

 private:
  Store& store_;
  Auditor& auditor_;
  exposure::ExposurePublisher& publisher_;
  approvals::ApprovalEngine& approvals_;
};

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_RELEASE_SERVICE_H_
