#include "service/auth_failure_throttle.h"

#include <gtest/gtest.h>

#include "service/service_test_env.h"

namespace warden {
namespace {

TEST(AuthFailureThrottleSource, DropsPortAndGroupsIpv6By64) {
  EXPECT_EQ(AuthFailureThrottle::SourceOf("192.0.2.7:5123"), "192.0.2.7");
  EXPECT_EQ(AuthFailureThrottle::SourceOf("2001:db8:1:2:3:4:5:6:443"),
            "2001:db8:1:2::/64");
  EXPECT_EQ(AuthFailureThrottle::SourceOf("2001:db8:1:2:ffff::9:80"),
            "2001:db8:1:2::/64");
  EXPECT_EQ(AuthFailureThrottle::SourceOf("::1:8080"), "::/64");
  EXPECT_EQ(AuthFailureThrottle::SourceOf("::ffff:10.0.0.1:80"), "10.0.0.1");
  EXPECT_EQ(AuthFailureThrottle::SourceOf("unknown"), "unknown");
}

class AuthFailureThrottleTest : public ServiceTestEnv {};

TEST_F(AuthFailureThrottleTest, FailuresExhaustTheSourceAndRefusalsAreAudited) {
  AuditSummaryRecorder summaries(*store_, *auditor_, {});
  AuthFailureThrottle throttle(/*per_second=*/1, summaries, clock_);
  const std::string kAttacker = "198.51.100.9:40000";
  // Burst: ten failures (ten times the rate) are admitted.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(throttle.Admit("ofrep.access", kAttacker, "r").ok()) << i;
    throttle.NoteFailure("198.51.100.9:" + std::to_string(40001 + i));
  }
  Status refused = throttle.Admit("ofrep.access", kAttacker, "r-last");
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.problem(), "too-many-auth-failures");
  EXPECT_TRUE(AuthFailureThrottle::IsThrottled(refused));
  EXPECT_EQ(refused.retry_after().count(), 1);
  // Another address is not affected.
  EXPECT_TRUE(throttle.Admit("ofrep.access", "198.51.100.10:1", "r").ok());
  // One second refills one attempt.
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(throttle.Admit("ofrep.access", kAttacker, "r").ok());

  ASSERT_TRUE(summaries.Flush().ok());
  AuditRecord record = LastAudit();
  EXPECT_EQ(record.event.action, "ofrep.access");
  EXPECT_EQ(record.event.actor, "anonymous");
  EXPECT_EQ(record.event.target, "source:198.51.100.9");
  EXPECT_EQ(record.event.outcome, "resource_exhausted");
  EXPECT_EQ(Details(record).at("count").to_number<int>(), 1);
}

}  // namespace
}  // namespace warden
