#include "tokens/lifetime_policy.h"

#include <gtest/gtest.h>

namespace warden::tokens {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kNow = FromMicros(int64_t{1'800'000'000} * 1'000'000);

TEST(LifetimePolicy, ShortDefaultsPerTier) {
  LifetimePolicy p;
  EXPECT_EQ(p.Limit(Environment::kProduction, RiskTier::kCritical), minutes(5));
  EXPECT_EQ(p.Limit(Environment::kProduction, RiskTier::kHigh), minutes(10));
  EXPECT_EQ(p.Limit(Environment::kProduction, RiskTier::kMedium), minutes(15));
  EXPECT_EQ(p.Limit(Environment::kProduction, RiskTier::kLow), minutes(30));
  EXPECT_GT(p.Limit(Environment::kStaging, RiskTier::kCritical), minutes(5));
  EXPECT_GT(p.Limit(Environment::kDevelopment, RiskTier::kLow), minutes(30));
  EXPECT_EQ(p.MaxLifetime(), minutes(60));
}

TEST(LifetimePolicy, MinimumOfRequestTierAndIdentityExpiry) {
  LifetimePolicy p;
  LifetimeRequest r;
  r.environment = Environment::kProduction;
  r.risk_tier = RiskTier::kLow;
  EXPECT_EQ(*p.Decide(r, kNow), minutes(30));
  r.requested = minutes(2);
  EXPECT_EQ(*p.Decide(r, kNow), minutes(2));
  r.requested = minutes(90);
  EXPECT_EQ(*p.Decide(r, kNow), minutes(30));
  r.identity_expires_at = kNow + seconds(42);
  EXPECT_EQ(*p.Decide(r, kNow), seconds(42));
}

TEST(LifetimePolicy, RefusesExpiredIdentityAndBadRequests) {
  LifetimePolicy p;
  LifetimeRequest r;
  r.identity_expires_at = kNow;
  auto d = p.Decide(r, kNow);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().problem(), "identity-expired");
  r.identity_expires_at.reset();
  r.requested = seconds(0);
  EXPECT_EQ(p.Decide(r, kNow).status().code(), StatusCode::kInvalidArgument);
}

TEST(LifetimePolicy, ConfigurableWithinBounds) {
  LifetimePolicy p;
  ASSERT_TRUE(
      p.Set(Environment::kProduction, RiskTier::kCritical, minutes(1)).ok());
  EXPECT_EQ(p.Limit(Environment::kProduction, RiskTier::kCritical), minutes(1));
  EXPECT_FALSE(
      p.Set(Environment::kProduction, RiskTier::kLow, seconds(0)).ok());
  EXPECT_FALSE(p.Set(Environment::kProduction, RiskTier::kLow,
                     kMaxTokenLifetime + seconds(1))
                   .ok());
}

}  // namespace
}  // namespace warden::tokens
