// TokenLimits: tokens tied to an exposure limit are revoked in the limit's
// own write unit (row, audit record and limit commit together; memory
// fails closed), new ones are refused until the limit is released, and a
// reload from the store neither drops a limit this process holds nor
// brings back one it released.
#include "oauth/token_limits.h"

#include <gtest/gtest.h>

#include "exposure/config_feed.h"
#include "oauth/identity_token_policy.h"
#include "oauth/key_custody.h"
#include "oauth/signing_keys.h"
#include "oauth/usage_recorder.h"
#include "service/service_test_env.h"
#include "tokens/access_token_issuer.h"

namespace warden::oauth {
namespace {

constexpr char kIssuer[] = "http://127.0.0.1:1";

class TokenLimitsTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    auto custody = OAuthKeyCustody::Create(std::string(32, 'k'));
    ASSERT_TRUE(custody.ok());
    custody_ = std::make_unique<OAuthKeyCustody>(*custody);
    auto keys = OAuthSigningKeys::Load(*store_, *custody_, {}, clock_.Now());
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = std::move(keys).value();
    usage_ =
        std::make_unique<UsageRecorder>(*store_, std::chrono::milliseconds(50));
    policy_ = std::make_unique<IdentityTokenPolicy>(*store_, *auditor_, feed_);
    revocation_ = std::make_unique<TokenRevocation>(
        *store_, *auditor_, *keys_, *policy_, *usage_, kIssuer,
        std::make_unique<tokens::RevocationState>());
    auto limits = TokenLimits::Load(*store_, *revocation_);
    ASSERT_TRUE(limits.ok()) << limits.status().ToString();
    limits_ = std::move(limits).value();
  }
  void TearDown() override {
    if (usage_) usage_->Stop();
    limits_.reset();
    revocation_.reset();
    policy_.reset();
    usage_.reset();
    keys_.reset();
    ServiceTestEnv::TearDown();
  }

  static ExposureLimitRecord Limit(const std::string& id) {
    ExposureLimitRecord limit;
    limit.id = id;
    limit.scope = "tenant";
    limit.scope_values = {"acme"};
    limit.reason = "incident";
    limit.actor = "root";
    return limit;
  }

  // RevokeTied inside a unit that inserts the limit; `fail` rolls it back.
  Status SetLimit(const ExposureLimitRecord& limit,
                  const exposure::LimitTies& ties, bool fail = false) {
    return store_->Write([&](Transaction& tx) -> Status {
      WARDEN_RETURN_IF_ERROR(tx.exposure_limits().Insert(limit));
      WARDEN_RETURN_IF_ERROR(
          limits_->RevokeTied(tx, Admin(), limit, ties).status());
      if (fail) return Unavailable("injected commit failure");
      return Status::Ok();
    });
  }

  tokens::AccessTokenClaims Claims(const std::string& subject,
                                   std::optional<std::string> tenant) {
    tokens::AccessTokenIssuer issuer(kIssuer, keys_->ring(), lifetimes_,
                                     clock_);
    tokens::AccessTokenRequest request;
    request.subject = request.client_id = subject;
    request.audience = {kIssuer};
    request.scopes = {"read"};
    request.tenant = std::move(tenant);
    auto issued = issuer.Issue(request);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued.ok() ? issued->claims : tokens::AccessTokenClaims{};
  }

  bool Live(const tokens::AccessTokenClaims& claims) {
    return revocation_->revocations().IsActive(claims, clock_.Now());
  }

  static Identity Worker(const std::string& id,
                         Environment env = Environment::kProduction) {
    Identity identity;
    identity.id = id;
    identity.environment = env;
    return identity;
  }

  int OkRecords(std::string_view action) {
    int count = 0;
    for (const AuditRecord& record : AuditLog()) {
      if (record.event.action == action && record.event.outcome == "ok") {
        ++count;
      }
    }
    return count;
  }

  exposure::ConfigFeed feed_;
  tokens::LifetimePolicy lifetimes_;
  std::unique_ptr<OAuthKeyCustody> custody_;
  std::unique_ptr<OAuthSigningKeys> keys_;
  std::unique_ptr<UsageRecorder> usage_;
  std::unique_ptr<IdentityTokenPolicy> policy_;
  std::unique_ptr<TokenRevocation> revocation_;
  std::unique_ptr<TokenLimits> limits_;
};

TEST_F(TokenLimitsTest, RevokesTiedTokensAndRefusesNewOnesUntilReleased) {
  const tokens::AccessTokenClaims acme = Claims("id-a", "acme");
  const tokens::AccessTokenClaims worker = Claims("id-w", std::nullopt);
  const tokens::AccessTokenClaims other = Claims("id-o", "globex");
  clock_.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(SetLimit(Limit("l1"), {{"acme"}, {"id-w"}}).ok());
  EXPECT_FALSE(Live(acme));
  EXPECT_FALSE(Live(worker));
  EXPECT_TRUE(Live(other));
  EXPECT_EQ(OkRecords(TokenRevocation::kRevokeLimitAction), 1);

  Status identity = limits_->CheckIdentity(Worker("id-w"));
  EXPECT_EQ(identity.problem(), "unauthorized_client");
  EXPECT_NE(identity.message().find("l1"), std::string::npos);
  Status tenant = limits_->CheckTenant(Worker("id-o"), "acme");
  EXPECT_EQ(tenant.problem(), "invalid_target");
  EXPECT_TRUE(limits_->CheckTenant(Worker("id-o"), "globex").ok());

  limits_->Released("l1");
  EXPECT_TRUE(limits_->CheckIdentity(Worker("id-w")).ok());
  EXPECT_TRUE(limits_->CheckTenant(Worker("id-o"), "acme").ok());
  EXPECT_FALSE(Live(acme));  // revoked, not suspended
}

TEST_F(TokenLimitsTest, EnvironmentLimitRefusesOnlyThatEnvironmentsTenants) {
  ExposureLimitRecord limit = Limit("l-prod");
  limit.environment = Environment::kProduction;
  ASSERT_TRUE(SetLimit(limit, {{"acme"}, {}}).ok());
  EXPECT_FALSE(limits_->CheckTenant(Worker("id-p"), "acme").ok());
  EXPECT_TRUE(
      limits_->CheckTenant(Worker("id-d", Environment::kDevelopment), "acme")
          .ok());
}

TEST_F(TokenLimitsTest, FailedUnitLeavesNoRowNorRecordButFailsClosed) {
  const tokens::AccessTokenClaims acme = Claims("id-a", "acme");
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_FALSE(SetLimit(Limit("l2"), {{"acme"}, {}}, /*fail=*/true).ok());
  EXPECT_EQ(OkRecords(TokenRevocation::kRevokeLimitAction), 0);
  std::optional<std::string> row;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> Status {
                    WARDEN_ASSIGN_OR_RETURN(row,
                                            tx.oauth().GetRevocationState());
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(row.has_value());
  EXPECT_FALSE(Live(acme));
  // Held until the service releases the failed limit, even across reloads.
  ASSERT_TRUE(limits_->Reload().ok());
  EXPECT_FALSE(limits_->CheckTenant(Worker("id-o"), "acme").ok());
  limits_->Released("l2");
  ASSERT_TRUE(limits_->Reload().ok());
  EXPECT_TRUE(limits_->CheckTenant(Worker("id-o"), "acme").ok());
}

TEST_F(TokenLimitsTest, ReloadLearnsActiveLimitsAndForgetsLiftedOnes) {
  ExposureLimitRecord limit = Limit("l3");  // set by another process
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return tx.exposure_limits().Insert(limit);
                  })
                  .ok());
  EXPECT_TRUE(limits_->CheckTenant(Worker("id-o"), "acme").ok());
  ASSERT_TRUE(limits_->Reload().ok());
  EXPECT_FALSE(limits_->CheckTenant(Worker("id-o"), "acme").ok());
  limit.lifted_at = clock_.Now();
  limit.lifted_by = "root";
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return tx.exposure_limits().Update(limit);
                  })
                  .ok());
  ASSERT_TRUE(limits_->Reload().ok());
  EXPECT_TRUE(limits_->CheckTenant(Worker("id-o"), "acme").ok());
}

}  // namespace
}  // namespace warden::oauth
