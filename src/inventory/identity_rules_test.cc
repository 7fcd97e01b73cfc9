#include "inventory/identity_rules.h"

#include <gtest/gtest.h>

#include "core/policy_exception.h"

namespace warden::inventory {
namespace {

using std::chrono::days;

const Timestamp kNow = FromMicros(1'800'000'000'000'000);

Identity Baseline() {
  Identity id;
  id.name = "payments-api";
  id.kind = IdentityKind::kWorkload;
  id.owner = "payments";
  id.application = "checkout";
  id.environment = Environment::kDevelopment;
  id.scopes = {"orders:read"};
  id.expires_at = kNow + days(30);
  return id;
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(DeriveRiskTierTest, NoFactorsIsLow) {
  const DerivedRisk risk = DeriveRiskTier(Baseline());
  EXPECT_EQ(risk.tier, RiskTier::kLow);
  EXPECT_TRUE(Contains(risk.reason, "no risk factors")) << risk.reason;
}

TEST(DeriveRiskTierTest, EachFactorAddsItsPoints) {
  Identity id = Baseline();
  id.environment = Environment::kStaging;  // 1
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kLow);
  id.scopes = {"orders:write"};  // +1 = 2
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kMedium);
  id.vendor = "acme";  // +1 = 3
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kHigh);
  id.kind = IdentityKind::kApiKey;  // +1 = 4
  const DerivedRisk risk = DeriveRiskTier(id);
  EXPECT_EQ(risk.tier, RiskTier::kCritical);
  EXPECT_TRUE(Contains(risk.reason, "staging environment (+1)")) << risk.reason;
  EXPECT_TRUE(Contains(risk.reason, "scope orders:write (+1)")) << risk.reason;
  EXPECT_TRUE(Contains(risk.reason, "external vendor acme (+1)"))
      << risk.reason;
  EXPECT_TRUE(Contains(risk.reason, "static bearer kind api_key (+1)"))
      << risk.reason;
  EXPECT_TRUE(Contains(risk.reason, "=> critical (score 4)")) << risk.reason;
}

TEST(DeriveRiskTierTest, ProductionCountsTwo) {
  Identity id = Baseline();
  id.environment = Environment::kProduction;
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kMedium);
}

TEST(DeriveRiskTierTest, ScopesCountTheirMaximumNotTheirSum) {
  Identity id = Baseline();
  id.scopes = {"a:write", "b:create", "c:update", "d:delete", "e:manage"};
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kLow);  // max 1
  id.scopes = {"a:write", "billing:admin"};
  DerivedRisk risk = DeriveRiskTier(id);
  EXPECT_EQ(risk.tier, RiskTier::kMedium);
  EXPECT_TRUE(Contains(risk.reason, "scope billing:admin (+2)")) << risk.reason;
  id.scopes = {"billing:*"};
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kMedium);
  id.scopes = {"billing:read", "billing:list"};
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kLow);
}

TEST(DeriveRiskTierTest, TokenKindIsStaticBearer) {
  Identity id = Baseline();
  id.kind = IdentityKind::kToken;
  id.environment = Environment::kStaging;
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kMedium);
  id.kind = IdentityKind::kCertificate;
  EXPECT_EQ(DeriveRiskTier(id).tier, RiskTier::kLow);
}

TEST(IsWellFormedScopeTest, AcceptsAndRejects) {
  EXPECT_TRUE(IsWellFormedScope("orders:read"));
  EXPECT_TRUE(IsWellFormedScope("billing/invoices:write"));
  EXPECT_TRUE(IsWellFormedScope("a.b_c-d:*"));
  EXPECT_FALSE(IsWellFormedScope("orders"));
  EXPECT_FALSE(IsWellFormedScope(":read"));
  EXPECT_FALSE(IsWellFormedScope("orders:"));
  EXPECT_FALSE(IsWellFormedScope("Orders:read"));
  EXPECT_FALSE(IsWellFormedScope("orders:re ad"));
  EXPECT_FALSE(IsWellFormedScope("orders:read:all"));
  EXPECT_FALSE(IsWellFormedScope("orders:a/b"));
  EXPECT_FALSE(IsWellFormedScope("*:read"));
  EXPECT_FALSE(IsWellFormedScope(std::string(65, 'a') + ":read"));
  EXPECT_TRUE(IsWellFormedScope(std::string(64, 'a') + ":read"));
}

void ExpectFieldError(const Identity& id, std::string_view field) {
  const Status s = ValidateIdentityFields(id, kNow);
  ASSERT_FALSE(s.ok()) << "expected an error on " << field;
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.problem(), "validation-failed");
  EXPECT_EQ(s.message().rfind(std::string(field) + ":", 0), 0u) << s.message();
}

TEST(ValidateIdentityFieldsTest, BaselineIsValid) {
  EXPECT_TRUE(ValidateIdentityFields(Baseline(), kNow).ok());
}

TEST(ValidateIdentityFieldsTest, NamesTheOffendingField) {
  Identity id = Baseline();
  id.name = "";
  ExpectFieldError(id, "name");
  id = Baseline();
  id.name = std::string(kMaxNameLength + 1, 'a');
  ExpectFieldError(id, "name");
  id = Baseline();
  id.name = "has space";
  ExpectFieldError(id, "name");
  id = Baseline();
  id.owner = "";
  ExpectFieldError(id, "owner");
  id = Baseline();
  id.application = "";
  ExpectFieldError(id, "application");
  id = Baseline();
  id.scopes = {"orders:read", "bad"};
  ExpectFieldError(id, "scopes[1]");
  id = Baseline();
  id.scopes.assign(kMaxScopes + 1, "a:read");
  ExpectFieldError(id, "scopes");
  id = Baseline();
  id.expires_at = kNow;
  ExpectFieldError(id, "expires_at");
  id = Baseline();
  id.expires_at = Timestamp{};
  ExpectFieldError(id, "expires_at");
  id = Baseline();
  id.justification = std::string(kMaxTextLength + 1, 'x');
  ExpectFieldError(id, "justification");
  id = Baseline();
  id.business_function = "bad\x01text";
  ExpectFieldError(id, "business_function");
}

TEST(ValidateIdentityFieldsTest, RotationRequiredForSecretBearingKinds) {
  Identity id = Baseline();
  id.kind = IdentityKind::kApiKey;
  ExpectFieldError(id, "rotation_days");
  id.rotation_days = 30;
  EXPECT_TRUE(ValidateIdentityFields(id, kNow).ok());
  id.rotation_days = 0;
  ExpectFieldError(id, "rotation_days");
  id.rotation_days = kMaxRotationDaysAbsolute + 1;
  ExpectFieldError(id, "rotation_days");
  id = Baseline();  // workloads hold no secret
  EXPECT_TRUE(ValidateIdentityFields(id, kNow).ok());
}

TEST(MaxLifetimeTest, ShrinksWithRisk) {
  EXPECT_EQ(MaxLifetime(RiskTier::kLow), days(365));
  EXPECT_EQ(MaxLifetime(RiskTier::kMedium), days(365));
  EXPECT_EQ(MaxLifetime(RiskTier::kHigh), days(180));
  EXPECT_EQ(MaxLifetime(RiskTier::kCritical), days(90));
}

TEST(RequiredExceptionsTest, NoneForCompliantIdentity) {
  EXPECT_TRUE(RequiredExceptions(Baseline(), kNow).empty());
}

TEST(RequiredExceptionsTest, ExpiryBeyondTierLifetime) {
  Identity id = Baseline();
  id.risk_tier = RiskTier::kHigh;
  id.expires_at = kNow + days(180);
  EXPECT_TRUE(RequiredExceptions(id, kNow).empty());
  id.expires_at = kNow + days(181);
  EXPECT_EQ(RequiredExceptions(id, kNow),
            std::vector<std::string>{std::string(kRuleExpiryBeyondPolicy)});
}

TEST(RequiredExceptionsTest, RotationBeyondPolicy) {
  Identity id = Baseline();
  id.rotation_days = kMaxRotationDaysByPolicy;
  EXPECT_TRUE(RequiredExceptions(id, kNow).empty());
  id.rotation_days = kMaxRotationDaysByPolicy + 1;
  EXPECT_EQ(RequiredExceptions(id, kNow),
            std::vector<std::string>{std::string(kRuleRotationBeyondPolicy)});
}

TEST(RequiredExceptionsTest, DeclaredTierBelowDerived) {
  Identity id = Baseline();
  id.environment = Environment::kProduction;  // derived medium
  id.risk_tier = RiskTier::kLow;
  id.risk_tier_declared = false;  // not declared: no waiver needed
  EXPECT_TRUE(RequiredExceptions(id, kNow).empty());
  id.risk_tier_declared = true;
  EXPECT_EQ(RequiredExceptions(id, kNow),
            std::vector<std::string>{std::string(kRuleRiskTierBelowDerived)});
  id.risk_tier = RiskTier::kHigh;  // declaring higher is always fine
  EXPECT_TRUE(RequiredExceptions(id, kNow).empty());
}

TEST(CheckTransitionTest, FollowsTheLifecycle) {
  using S = IdentityStatus;
  const S all[] = {S::kActive, S::kSuspended, S::kRevoked, S::kExpired};
  auto allowed = [](S from, S to) {
    return (from == S::kActive && to == S::kSuspended) ||
           (from == S::kSuspended && to == S::kActive) ||
           (from != S::kRevoked && to == S::kRevoked) ||
           (from == S::kActive && to == S::kExpired);
  };
  int allowed_count = 0;
  for (S from : all) {
    for (S to : all) {
      const Status s = CheckTransition(from, to);
      EXPECT_EQ(s.ok(), allowed(from, to)) << Name(from) << "->" << Name(to);
      if (s.ok()) {
        ++allowed_count;
        continue;
      }
      EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
      EXPECT_EQ(s.problem(), "illegal-transition");
      EXPECT_TRUE(Contains(s.message(), Name(from))) << s.message();
      EXPECT_TRUE(Contains(s.message(), Name(to))) << s.message();
    }
  }
  EXPECT_EQ(allowed_count, 6);
  EXPECT_TRUE(
      Contains(CheckTransition(S::kRevoked, S::kActive).message(), "final"));
}

}  // namespace
}  // namespace warden::inventory
