#include "tokens/lifetime_policy.h"

#include <algorithm>
#include <string>

namespace warden::tokens {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::array<minutes, 4> kProductionDefaults = {
    minutes(30), minutes(15), minutes(10), minutes(5)};  // low .. critical
constexpr int kNonProductionFactor = 2;

}  // namespace

LifetimePolicy::LifetimePolicy() {
  for (Environment env : {Environment::kDevelopment, Environment::kStaging,
                          Environment::kProduction}) {
    const int factor =
        env == Environment::kProduction ? 1 : kNonProductionFactor;
    for (int tier = 0; tier < 4; ++tier) {
      limits_[Index(env, static_cast<RiskTier>(tier))] =
          kProductionDefaults[tier] * factor;
    }
  }
}

size_t LifetimePolicy::Index(Environment environment, RiskTier tier) {
  return static_cast<size_t>(environment) * 4 + static_cast<size_t>(tier);
}

Status LifetimePolicy::Set(Environment environment, RiskTier tier,
                           seconds limit) {
  if (limit <= seconds(0) || limit > kMaxTokenLifetime) {
    return InvalidArgument(
        "token lifetime for " + std::string(Name(environment)) + "/" +
            std::string(Name(tier)) + " must be between 1s and " +
            std::to_string(kMaxTokenLifetime.count()) + "s, got " +
            std::to_string(limit.count()) + "s",
        "invalid-value");
  }
  limits_[Index(environment, tier)] = limit;
  return Status::Ok();
}

seconds LifetimePolicy::Limit(Environment environment, RiskTier tier) const {
  return limits_[Index(environment, tier)];
}

seconds LifetimePolicy::MaxLifetime() const {
  return *std::max_element(limits_.begin(), limits_.end());
}

Result<seconds> LifetimePolicy::Decide(const LifetimeRequest& request,
                                       Timestamp now) const {
  seconds lifetime = Limit(request.environment, request.risk_tier);
  if (request.requested) {
    if (*request.requested <= seconds(0)) {
      return InvalidArgument("requested token lifetime must be positive",
                             "invalid-value");
    }
    lifetime = std::min(lifetime, *request.requested);
  }
  if (request.identity_expires_at) {
    const seconds left =
        std::chrono::floor<seconds>(*request.identity_expires_at - now);
    if (left < seconds(1)) {
      return FailedPrecondition("identity has expired", "identity-expired");
    }
    lifetime = std::min(lifetime, left);
  }
  return lifetime;
}

}  // namespace warden::tokens
