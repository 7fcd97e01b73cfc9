#include "server/readiness.h"

#include <gtest/gtest.h>

namespace warden::server {
namespace {

TEST(ReadinessTest, ChangesCheckFollowsTheLastCompleteRead) {
  ManualClock clock(FromMicros(1'800'000'000'000'000));
  ChangeFollowerHealth follower;
  HealthCheck never = CheckChanges(follower, clock);
  EXPECT_EQ(never.name, "changes");
  EXPECT_FALSE(never.ok);

  follower.NoteCaughtUp(clock.Now());
  clock.Advance(kMaxChangeFollowerSilence);
  EXPECT_TRUE(CheckChanges(follower, clock).ok);

  clock.Advance(std::chrono::seconds(1));
  HealthCheck silent = CheckChanges(follower, clock);
  EXPECT_FALSE(silent.ok);
  EXPECT_NE(silent.detail.find("11s ago"), std::string::npos) << silent.detail;

  follower.NoteCaughtUp(clock.Now());  // the follower reconnected
  EXPECT_TRUE(CheckChanges(follower, clock).ok);
}

}  // namespace
}  // namespace warden::server
