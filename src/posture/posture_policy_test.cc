#include "posture/posture_policy.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace warden::posture {
namespace {

Result<PosturePolicy> Parse(std::string_view text) {
  return PolicyFromJson(boost::json::parse(text));
}

TEST(PosturePolicyTest, AbsentMembersKeepTheirDefaults) {
  Result<PosturePolicy> policy = Parse(R"({"unused_days": 30})");
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->unused_days, 30);
  EXPECT_EQ(policy->scope_window_days, DefaultPolicy().scope_window_days);
}

TEST(PosturePolicyTest, RoundTripsThroughJson) {
  Result<PosturePolicy> policy = Parse(
      R"({"user_networks": ["10.0.0.0/8"], "certificate_windows_days": [7, 60],
          "suspend_on_lapsed_exception": true})");
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_EQ(policy->certificate_windows_days, (std::vector<int>{60, 7}));
  EXPECT_EQ(policy->user_cidrs.size(), 1u);
  Result<PosturePolicy> again = PolicyFromJson(PolicyToJson(*policy));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(boost::json::serialize(PolicyToJson(*again)),
            boost::json::serialize(PolicyToJson(*policy)));
}

TEST(PosturePolicyTest, RejectsWhatIsNotAPolicy) {
  for (const char* bad :
       {R"([])", R"({"unused_days": 0})", R"({"unused_days": "90"})",
        R"({"user_networks": ["office"]})",
        R"({"office_hours_start": 18, "office_hours_end": 8})",
        R"({"certificate_windows_days": []})",
        R"({"suspend_on_lapsed_exception": "yes"})"}) {
    Result<PosturePolicy> policy = Parse(bad);
    ASSERT_FALSE(policy.ok()) << bad;
    EXPECT_EQ(policy.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(policy.status().message().find("posture policy"),
              std::string::npos);
  }
}

TEST(PosturePolicyTest, CertificateSeverityFollowsTheWindows) {
  const PosturePolicy policy = DefaultPolicy();  // 30, 7, 1
  EXPECT_EQ(CertificateExpirySeverity(20, policy), "medium");
  EXPECT_EQ(CertificateExpirySeverity(7, policy), "high");
  EXPECT_EQ(CertificateExpirySeverity(1, policy), "critical");
}

}  // namespace
}  // namespace warden::posture
