#include "posture/identity_findings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "posture/finding_catalog.h"

namespace warden::posture {
namespace {

using std::chrono::days;
using std::chrono::hours;

const Timestamp kNow =
    std::chrono::sys_days(std::chrono::year{2026} / 12 / 7) + hours(12);

// A well-kept identity: owned, justified, revocable, recently used, every
// scope used. Each test breaks one thing.
IdentityFacts Healthy() {
  IdentityFacts f;
  Identity& id = f.identity;
  id.id = "0190aaaa-0000-7000-8000-000000000001";
  id.name = "payments-api";
  id.kind = IdentityKind::kServiceAccount;
  id.owner = "payments";
  id.environment = Environment::kStaging;
  id.auth_method = "private_key_jwt";
  id.scopes = {"orders:read"};
  id.expires_at = kNow + days(60);
  id.created_at = kNow - days(200);
  id.last_used_at = kNow - days(1);
  f.owner_has_members = true;
  f.has_approval = true;
  f.scopes_used = {{id.id, "orders:read", kNow - days(2)}};
  return f;
}

std::vector<std::string> Rules(const IdentityFacts& facts,
                               const PosturePolicy& policy = DefaultPolicy()) {
  std::vector<std::string> rules;
  for (const Finding& f : EvaluateIdentity(facts, policy, kNow)) {
    rules.emplace_back(f.rule);
  }
  return rules;
}

const Finding* FindingOf(const std::vector<Finding>& found,
                         std::string_view rule) {
  for (const Finding& f : found) {
    if (f.rule == rule) return &f;
  }
  return nullptr;
}

bool Has(const std::vector<std::string>& rules, std::string_view rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

TEST(IdentityFindingsTest, AHealthyIdentityHasNoFinding) {
  EXPECT_TRUE(Rules(Healthy()).empty());
}

TEST(IdentityFindingsTest, OffboardedIdentitiesAreNotEvaluated) {
  IdentityFacts f = Healthy();
  f.owner_has_members = false;
  f.identity.status = IdentityStatus::kRevoked;
  EXPECT_TRUE(Rules(f).empty());
}

TEST(IdentityFindingsTest, OwnerTeamWithoutMembers) {
  IdentityFacts f = Healthy();
  f.owner_has_members = false;
  std::vector<Finding> found = EvaluateIdentity(f, DefaultPolicy(), kNow);
  const Finding* finding = FindingOf(found, kOwnerTeamEmpty);
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->owner, "payments");
  EXPECT_EQ(finding->subject_key, f.identity.id);
}

TEST(IdentityFindingsTest, ExpiryMissingUnlessExcepted) {
  IdentityFacts f = Healthy();
  f.identity.expires_at = Timestamp{};
  EXPECT_TRUE(Has(Rules(f), kExpiryMissing));
  PolicyException waiver;
  waiver.rule = std::string(kRuleExpiryBeyondPolicy);
  waiver.state = ExceptionState::kApproved;
  waiver.expires_at = kNow + days(10);
  f.exceptions.push_back(waiver);
  EXPECT_FALSE(Has(Rules(f), kExpiryMissing));
}

TEST(IdentityFindingsTest, ExpiryBeyondPolicyForItsTier) {
  IdentityFacts f = Healthy();
  f.identity.risk_tier = RiskTier::kHigh;  // 180 days at most
  f.identity.expires_at = kNow + days(300);
  EXPECT_TRUE(Has(Rules(f), kExpiryBeyondPolicy));
  f.identity.risk_tier = RiskTier::kLow;  // 365 days
  EXPECT_FALSE(Has(Rules(f), kExpiryBeyondPolicy));
}

TEST(IdentityFindingsTest, ExpiredButStillActive) {
  IdentityFacts f = Healthy();
  f.identity.expires_at = kNow - hours(1);
  EXPECT_TRUE(Has(Rules(f), kExpiredStillActive));
  f.identity.status = IdentityStatus::kSuspended;
  EXPECT_FALSE(Has(Rules(f), kExpiredStillActive));
}

TEST(IdentityFindingsTest, SecretOlderThanItsRotationPeriod) {
  IdentityFacts f = Healthy();
  f.identity.rotation_days = 30;
  f.secrets.push_back({"payments-db", 1, kNow - days(10)});
  EXPECT_FALSE(Has(Rules(f), kSecretRotationOverdue));
  f.secrets[0].current_since = kNow - days(45);
  std::vector<Finding> found = EvaluateIdentity(f, DefaultPolicy(), kNow);
  const Finding* finding = FindingOf(found, kSecretRotationOverdue);
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, "high");
  f.secrets[0].current_since = kNow - days(61);  // twice the period
  found = EvaluateIdentity(f, DefaultPolicy(), kNow);
  EXPECT_EQ(FindingOf(found, kSecretRotationOverdue)->severity, "critical");
}

TEST(IdentityFindingsTest, ClientSecretOlderThanItsRotationPeriod) {
  IdentityFacts f = Healthy();
  f.identity.rotation_days = 30;
  ClientCredentialRecord credential;
  credential.method = "client_secret";
  credential.updated_at = kNow - days(40);
  f.client_credential = credential;
  EXPECT_TRUE(Has(Rules(f), kSecretRotationOverdue));
  f.client_credential->method = "private_key_jwt";
  EXPECT_FALSE(Has(Rules(f), kSecretRotationOverdue));
}

TEST(IdentityFindingsTest, UnusedForTheWindow) {
  IdentityFacts f = Healthy();
  f.identity.last_used_at = kNow - days(120);
  EXPECT_TRUE(Has(Rules(f), kUnused));
  PosturePolicy policy = DefaultPolicy();
  policy.unused_days = 180;
  EXPECT_FALSE(Has(Rules(f, policy), kUnused));
  f.identity.last_used_at.reset();  // never used, created 200 days ago
  EXPECT_TRUE(Has(Rules(f), kUnused));
}

TEST(IdentityFindingsTest, UnusedScopesWithTheMinimalSet) {
  IdentityFacts f = Healthy();
  f.identity.scopes = {"orders:read", "orders:write", "refunds:write"};
  std::vector<Finding> found = EvaluateIdentity(f, DefaultPolicy(), kNow);
  const Finding* finding = FindingOf(found, kScopesUnused);
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(boost::json::serialize(finding->evidence.at("minimal")),
            "[\"orders:read\"]");
  EXPECT_EQ(boost::json::serialize(finding->evidence.at("unused")),
            "[\"orders:write\",\"refunds:write\"]");
  // Used long ago, outside the window: still unused.
  f.identity.scopes = {"orders:read"};
  f.scopes_used[0].last_used_at = kNow - days(100);
  EXPECT_TRUE(Has(Rules(f), kScopesUnused));
}

UsageSightingRecord Sighting(std::string network, std::string agent,
                             int64_t hours_mask = 0xFFFFFF,
                             int64_t weekdays = 0x7F, int64_t uses = 50) {
  UsageSightingRecord s;
  s.source_network = std::move(network);
  s.user_agent = std::move(agent);
  s.hours_mask = hours_mask;
  s.weekdays_mask = weekdays;
  s.uses = uses;
  return s;
}

TEST(IdentityFindingsTest, ReuseFromSeveralNetworks) {
  IdentityFacts f = Healthy();
  f.sightings = {Sighting("10.0.1.0/24", "payments/1.0"),
                 Sighting("10.0.2.0/24", "payments/1.0")};
  EXPECT_FALSE(Has(Rules(f), kIdentityReuse));
  f.sightings.push_back(Sighting("10.0.3.0/24", "payments/1.0"));
  EXPECT_TRUE(Has(Rules(f), kIdentityReuse));
}

TEST(IdentityFindingsTest, HumanUseFromAnInteractiveAgent) {
  IdentityFacts f = Healthy();
  f.sightings = {Sighting("10.0.1.0/24", "okhttp/4.12")};
  EXPECT_FALSE(Has(Rules(f), kHumanUse));
  f.sightings.push_back(Sighting("10.0.1.0/24", "curl/8.4.0"));
  EXPECT_TRUE(Has(Rules(f), kHumanUse));
}

TEST(IdentityFindingsTest, HumanUseFromOfficeHoursOnUserNetworks) {
  Result<PosturePolicy> policy = PolicyFromJson(
      boost::json::parse(R"({"user_networks": ["192.168.0.0/16"]})"));
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  IdentityFacts f = Healthy();
  const int64_t nine_to_five = 0x01FF00;  // UTC hours 8..16
  const int64_t weekdays = 0x3E;          // Monday..Friday
  f.sightings = {Sighting("192.168.4.0/24", "python-requests/2.31",
                          nine_to_five, weekdays)};
  EXPECT_TRUE(Has(Rules(f, *policy), kHumanUse));
  // The same pattern from a data-centre network is a batch job.
  f.sightings[0].source_network = "10.9.0.0/24";
  EXPECT_FALSE(Has(Rules(f, *policy), kHumanUse));
  // Used at night too: not office hours only.
  f.sightings[0].source_network = "192.168.4.0/24";
  f.sightings[0].hours_mask = nine_to_five | 1;
  EXPECT_FALSE(Has(Rules(f, *policy), kHumanUse));
}

TEST(IdentityFindingsTest, ThirdPartyWithoutApproval) {
  IdentityFacts f = Healthy();
  f.identity.vendor = "acme";
  f.has_approval = false;
  f.has_review_keep = true;  // justified, but not approved
  EXPECT_TRUE(Has(Rules(f), kThirdPartyUnapproved));
  f.has_approval = true;
  EXPECT_FALSE(Has(Rules(f), kThirdPartyUnapproved));
  f.identity.vendor.clear();
  f.identity.kind = IdentityKind::kOauthApp;
  f.has_approval = false;
  EXPECT_TRUE(Has(Rules(f), kThirdPartyUnapproved));
}

TEST(IdentityFindingsTest, LongLivedCredentialWhereShortLivedIsPossible) {
  IdentityFacts f = Healthy();
  f.identity.auth_method = "client_secret";
  EXPECT_TRUE(Has(Rules(f), kLongLivedCredential));
  f.identity.kind = IdentityKind::kApiKey;  // static by nature
  EXPECT_FALSE(Has(Rules(f), kLongLivedCredential));
}

TEST(IdentityFindingsTest, ProductionWithoutChangeRecord) {
  IdentityFacts f = Healthy();
  f.identity.environment = Environment::kProduction;
  f.has_approval = false;
  EXPECT_TRUE(Has(Rules(f), kChangeControlMissing));
  f.has_change_record = true;
  EXPECT_FALSE(Has(Rules(f), kChangeControlMissing));
}

TEST(IdentityFindingsTest, CertificatesExpiringWithinTheWindows) {
  IdentityFacts f = Healthy();
  CertificateRecord cert;
  cert.serial = "0a1b";
  cert.status = "active";
  cert.not_after = kNow + days(40);
  f.certificates = {cert};
  EXPECT_FALSE(Has(Rules(f), kCertificateExpiring));
  const std::pair<int, const char*> cases[] = {
      {20, "medium"}, {5, "high"}, {0, "critical"}};
  for (const auto& [days_left, severity] : cases) {
    f.certificates[0].not_after = kNow + days(days_left) + hours(1);
    std::vector<Finding> found = EvaluateIdentity(f, DefaultPolicy(), kNow);
    const Finding* finding = FindingOf(found, kCertificateExpiring);
    ASSERT_NE(finding, nullptr) << days_left;
    EXPECT_EQ(finding->severity, severity) << days_left;
    EXPECT_EQ(finding->subject_key, f.identity.id + "/certificate/0a1b");
  }
}

TEST(IdentityFindingsTest, LapsedExceptionStillNeeded) {
  IdentityFacts f = Healthy();
  f.identity.expires_at = kNow + days(500);  // beyond any tier
  PolicyException lapsed;
  lapsed.rule = std::string(kRuleExpiryBeyondPolicy);
  lapsed.state = ExceptionState::kApproved;
  lapsed.expires_at = kNow - days(1);
  f.exceptions = {lapsed};
  EXPECT_TRUE(Has(Rules(f), kExceptionExpired));
  EXPECT_EQ(LapsedExceptionRules(f, kNow),
            std::vector<std::string>{std::string(kRuleExpiryBeyondPolicy)});
  // No longer needed once the expiry is within policy.
  f.identity.expires_at = kNow + days(30);
  EXPECT_FALSE(Has(Rules(f), kExceptionExpired));
}

TEST(IdentityFindingsTest, AgentNeedsSponsorTaskAndExpiry) {
  IdentityFacts f = Healthy();
  f.identity.kind = IdentityKind::kAgent;
  EXPECT_TRUE(Has(Rules(f), kAgentUnbounded));
  f.identity.sponsor = "alice";
  f.identity.task_scope = "triage support tickets";
  EXPECT_TRUE(Has(Rules(f), kAgentUnbounded));  // alice is not a user
  f.sponsor_is_user = true;
  EXPECT_FALSE(Has(Rules(f), kAgentUnbounded));
}

TEST(IdentityFindingsTest, JustifiedByAnyRecordedDecision) {
  IdentityFacts f = Healthy();
  f.has_approval = false;
  EXPECT_TRUE(Has(Rules(f), kUnjustified));
  f.has_review_keep = true;
  EXPECT_FALSE(Has(Rules(f), kUnjustified));
}

TEST(IdentityFindingsTest, RevocableWhenShortLivedOrExercised) {
  IdentityFacts f = Healthy();
  f.identity.auth_method = "client_secret";
  EXPECT_TRUE(Has(Rules(f), kRevocationUnproven));
  f.secrets.push_back({"db", 2, kNow - days(3)});  // rotated once
  EXPECT_FALSE(Has(Rules(f), kRevocationUnproven));
}

TEST(IdentityFindingsTest, EveryRuleIsInTheCatalogWithOfficialMappings) {
  for (const RuleSpec& rule : FindingRules()) {
    EXPECT_TRUE(IsOwaspNhiId(rule.owasp)) << rule.id;
    EXPECT_FALSE(rule.csf.empty()) << rule.id;
    for (std::string_view csf : rule.csf) {
      EXPECT_EQ(csf.find("PR.AC"), std::string_view::npos) << rule.id;
    }
    EXPECT_GE(SeverityRank(rule.severity), 0) << rule.id;
  }
}

}  // namespace
}  // namespace warden::posture
