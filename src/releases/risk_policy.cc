#include "releases/risk_policy.h"

#include <fmt/format.h>

namespace warden::releases {

DerivedRisk DeriveReleaseRisk(const std::vector<Identity>& identities,
                              const std::vector<std::string>& integrations) {
  DerivedRisk risk{RiskTier::kLow, "no identity or integration above low"};
  auto raise = [&risk](RiskTier tier, std::string reason) {
    if (tier > risk.tier) risk = {tier, std::move(reason)};
  };
  for (const Identity& identity : identities) {
    raise(identity.risk_tier,
          fmt::format("identity {} is {} risk", identity.name,
                      Name(identity.risk_tier)));
  }
  if (!integrations.empty()) {
    raise(RiskTier::kMedium,
          fmt::format("uses integration {}", integrations.front()));
  }
  for (const Identity& identity : identities) {
    if (identity.vendor.empty()) continue;
    raise(RiskTier::kHigh, fmt::format("identity {} reaches vendor {}",
                                       identity.name, identity.vendor));
  }
  return risk;
}

bool NeedsStageApproval(RiskTier tier) { return tier >= RiskTier::kMedium; }

bool NeedsTenantClearance(RiskTier tier) { return tier >= RiskTier::kHigh; }

}  // namespace warden::releases
