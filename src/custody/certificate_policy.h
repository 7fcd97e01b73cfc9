// Lifetime policy of issued X509-SVIDs, and when clients should renew.
// Pure; thread-safe.
#ifndef WARDEN_CUSTODY_CERTIFICATE_POLICY_H_
#define WARDEN_CUSTODY_CERTIFICATE_POLICY_H_

#include <chrono>
#include <optional>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"

namespace warden::custody {

struct CertificatePolicy {
  std::chrono::seconds default_lifetime = std::chrono::hours(1);
  std::chrono::seconds min_lifetime = std::chrono::minutes(1);
  // Upper bound per risk tier: riskier identities hold shorter credentials.
  std::chrono::seconds max_low = std::chrono::hours(24);
  std::chrono::seconds max_medium = std::chrono::hours(12);
  std::chrono::seconds max_high = std::chrono::hours(4);
  std::chrono::seconds max_critical = std::chrono::hours(1);

  std::chrono::seconds MaxFor(RiskTier tier) const;
  // The requested lifetime (or the default) clipped to the tier's maximum;
  // kInvalidArgument below min_lifetime.
  Result<std::chrono::seconds> LifetimeFor(
      RiskTier tier, std::optional<std::chrono::seconds> requested) const;
};

// Half-life with jitter: not_before + (not_after - not_before) * (0.5 +
// jitter), jitter uniform in [-0.1, +0.1], so a fleet issued together does
// not renew in one burst.
Timestamp RenewAfter(Timestamp not_before, Timestamp not_after);

}  // namespace warden::custody

#endif  // WARDEN_CUSTODY_CERTIFICATE_POLICY_H_
