#include "posture/observation_findings.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "posture/finding_catalog.h"

namespace warden::posture {
namespace {

using std::chrono::days;

const Timestamp kNow = std::chrono::sys_days(std::chrono::year{2026} / 12 / 7);

ObservationRecord Seen(std::string kind, std::string key,
                       std::string attributes = "{}") {
  ObservationRecord o;
  o.kind = std::move(kind);
  o.key = std::move(key);
  o.name = "seen";
  o.source = "test";
  o.location = "fixtures/x:3";
  o.attributes_json = std::move(attributes);
  return o;
}

std::vector<std::string> Rules(const ObservationRecord& o) {
  std::vector<std::string> rules;
  for (const Finding& f : EvaluateObservation(o, "", DefaultPolicy(), kNow)) {
    rules.emplace_back(f.rule);
  }
  return rules;
}

TEST(ObservationFindingsTest, LeakedSecretIsCriticalAndCarriesNoValue) {
  ObservationRecord o = Seen(
      "leaked_secret", "aws-access-token|src/a.py|12|ab12",
      R"({"rule":"aws-access-token","file":"src/a.py","line":"12","fingerprint":"ab12"})");
  std::vector<Finding> found =
      EvaluateObservation(o, "", DefaultPolicy(), kNow);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule, kSecretLeaked);
  EXPECT_EQ(found[0].severity, "critical");
  EXPECT_EQ(found[0].subject_key,
            "observation/leaked_secret/aws-access-token|src/a.py|12|ab12");
  EXPECT_EQ(FindRule(kSecretLeaked)->owasp, "NHI2");
}

TEST(ObservationFindingsTest, UnmanagedOnlyForIdentityKindsAndWhilePresent) {
  EXPECT_EQ(Rules(Seen("k8s_service_account", "prod/api")),
            std::vector<std::string>{std::string(kUnmanagedIdentity)});
  ObservationRecord managed = Seen("k8s_service_account", "prod/api");
  managed.identity_id = "0190";
  EXPECT_TRUE(Rules(managed).empty());
  EXPECT_TRUE(Rules(Seen("k8s_secret", "prod/token")).empty());
  ObservationRecord gone = Seen("k8s_service_account", "prod/old");
  gone.state = "gone";
  EXPECT_TRUE(Rules(gone).empty());
}

TEST(ObservationFindingsTest, DiscoveredCertificateExpiring) {
  ObservationRecord cert =
      Seen("certificate", "ff00",
           R"({"not_after":")" + FormatRfc3339(kNow + days(6)) + R"("})");
  cert.identity_id = "0190";
  std::vector<Finding> found =
      EvaluateObservation(cert, "web", DefaultPolicy(), kNow);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].rule, kCertificateExpiring);
  EXPECT_EQ(found[0].severity, "high");
  EXPECT_EQ(found[0].owner, "web");
}

TEST(ObservationFindingsTest, ClusterAdminBinding) {
  ObservationRecord binding =
      Seen("k8s_role_binding", "prod/admin/ci",
           R"({"role_kind":"ClusterRole","role_name":"cluster-admin"})");
  EXPECT_EQ(Rules(binding),
            std::vector<std::string>{std::string(kClusterAdminBinding)});
  binding.attributes_json = R"({"role_name":"view"})";
  EXPECT_TRUE(Rules(binding).empty());
}

TEST(ObservationFindingsTest, StaleCloudAccessKey) {
  ObservationRecord key = Seen("aws_access_key", "arn:aws:iam::1:user/ci#1",
                               R"({"active":"true","last_rotated":")" +
                                   FormatRfc3339(kNow - days(200)) + R"("})");
  EXPECT_EQ(Rules(key),
            std::vector<std::string>{std::string(kCloudKeyRotationOverdue)});
  key.attributes_json = R"({"active":"false","last_rotated":")" +
                        FormatRfc3339(kNow - days(200)) + R"("})";
  EXPECT_TRUE(Rules(key).empty());
}

TEST(ObservationFindingsTest, UnverifiedOAuthPublisher) {
  ObservationRecord grant =
      Seen("oauth_grant", "app|pub", R"({"verified_publisher":"false"})");
  grant.identity_id = "0190";
  EXPECT_EQ(Rules(grant),
            std::vector<std::string>{std::string(kOAuthGrantUnverified)});
}

}  // namespace
}  // namespace warden::posture
