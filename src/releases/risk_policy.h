// How risky a release is, and what its tier requires before exposure.
//
// Derivation (when the release declares no tier, and the floor a declared
// tier may not go below): the highest risk tier of its identities; at
// least medium when it uses integrations; at least high when one of its
// identities reaches an external vendor.
//
// Gates by tier (policy, cumulative):
//   low       self-service
//   medium    a security approval of each stage
//   high,     and, per tenant, the approval of that tenant's account
//   critical  manager plus a recorded notice (and the tenant's opt-in for
//             flags the notes mark opt_in_required, whatever the tier)
// Pure functions; thread-safe.
#ifndef WARDEN_RELEASES_RISK_POLICY_H_
#define WARDEN_RELEASES_RISK_POLICY_H_

#include <string>
#include <vector>

#include "core/identity.h"
#include "core/vocabulary.h"

namespace warden::releases {

struct DerivedRisk {
  RiskTier tier = RiskTier::kLow;
  std::string reason;
};

DerivedRisk DeriveReleaseRisk(const std::vector<Identity>& identities,
                              const std::vector<std::string>& integrations);

bool NeedsStageApproval(RiskTier tier);
bool NeedsTenantClearance(RiskTier tier);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_RISK_POLICY_H_
