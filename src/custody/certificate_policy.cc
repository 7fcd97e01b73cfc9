#include "custody/certificate_policy.h"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace warden::custody {

std::chrono::seconds CertificatePolicy::MaxFor(RiskTier tier) const {
  switch (tier) {
    case RiskTier::kLow:
      return max_low;
    case RiskTier::kMedium:
      return max_medium;
    case RiskTier::kHigh:
      return max_high;
    case RiskTier::kCritical:
      return max_critical;
  }
  return max_critical;
}

Result<std::chrono::seconds> CertificatePolicy::LifetimeFor(
    RiskTier tier, std::optional<std::chrono::seconds> requested) const {
  const std::chrono::seconds wanted = requested.value_or(default_lifetime);
  if (wanted < min_lifetime) {
    return InvalidArgument("ttl_seconds: must be at least " +
                           std::to_string(min_lifetime.count()));
  }
  return std::min(wanted, MaxFor(tier));
}

Timestamp RenewAfter(Timestamp not_before, Timestamp not_after) {
  const auto span = not_after - not_before;
  // randombytes_uniform is unbiased: [0, 2000] per mille -> [-0.1, +0.1].
  const int64_t jitter_per_mille =
      static_cast<int64_t>(randombytes_uniform(201)) - 100;
  return not_before + span / 2 + span * jitter_per_mille / 1000;
}

}  // namespace warden::custody
