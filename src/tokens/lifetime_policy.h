// LifetimePolicy: how long an issued access token may live.
//
//   lifetime = min(requested, limit(environment, risk tier), identity expiry)
//
// Defaults are short, as SPIRE's 5-minute JWT-SVIDs: production critical
// 5 min, high 10 min, medium 15 min, low 30 min; staging and development
// twice that. Every cell is configurable within (0, kMaxTokenLifetime].
//
// Thread-safety: a value type. Set() is not thread-safe; a configured policy
// that is no longer modified may be read from any thread.
#ifndef WARDEN_TOKENS_LIFETIME_POLICY_H_
#define WARDEN_TOKENS_LIFETIME_POLICY_H_

#include <array>
#include <chrono>
#include <optional>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"

namespace warden::tokens {

// No configuration may make bearer tokens live longer than a day: longer
// lived credentials belong in the secret store with rotation.
inline constexpr std::chrono::seconds kMaxTokenLifetime{24 * 3600};

struct LifetimeRequest {
  // The client's wish (e.g. a token exchange "expires_in"); nullopt = max.
  std::optional<std::chrono::seconds> requested;
  Environment environment = Environment::kProduction;
  RiskTier risk_tier = RiskTier::kCritical;
  // The identity's own expires_at, if any.
  std::optional<Timestamp> identity_expires_at;
};

class LifetimePolicy {
 public:
  // The defaults above.
  LifetimePolicy();

  // kInvalidArgument unless 0 < limit <= kMaxTokenLifetime.
  Status Set(Environment environment, RiskTier tier,
             std::chrono::seconds limit);
  std::chrono::seconds Limit(Environment environment, RiskTier tier) const;
  // The longest limit of any cell: what the key ring must keep a retired key
  // published for (plus leeway).
  std::chrono::seconds MaxLifetime() const;

  // The lifetime for one issuance, in whole seconds. kInvalidArgument for a
  // non-positive request; kFailedPrecondition ("identity-expired") when the
  // identity expires within a second of `now`.
  Result<std::chrono::seconds> Decide(const LifetimeRequest& request,
                                      Timestamp now) const;

 private:
  static size_t Index(Environment environment, RiskTier tier);

  std::array<std::chrono::seconds, 12> limits_;  // [environment][tier]
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_LIFETIME_POLICY_H_
