// WorkloadAuthenticator on a manual clock: the time-dependent refusals
// (expired, not yet valid) that an HTTP test cannot reach quickly, the
// audience rule for /v1, and the audit records of refusals.
#include "oauth/workload_authenticator.h"

#include <gtest/gtest.h>

#include <optional>

#include "exposure/config_feed.h"
#include "oauth/key_custody.h"
#include "oauth/signing_keys.h"
#include "oauth/usage_recorder.h"
#include "service/service_test_env.h"
#include "tokens/access_token_issuer.h"
#include "tokens/lifetime_policy.h"

namespace warden::oauth {
namespace {

constexpr char kIssuer[] = "http://127.0.0.1:1";

class WorkloadAuthenticatorTest : public ServiceTestEnv {
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
    tokens_ = std::make_unique<TokenRevocation>(
        *store_, *auditor_, *keys_, *policy_, *usage_, kIssuer,
        std::make_unique<tokens::RevocationState>());
    workloads_ = std::make_unique<WorkloadAuthenticator>(*tokens_, *auditor_);
    SeedTeam("payments");
    SeedIdentity();
  }
  void TearDown() override {
    if (usage_) usage_->Stop();
    workloads_.reset();
    tokens_.reset();
    policy_.reset();
    usage_.reset();
    keys_.reset();
    ServiceTestEnv::TearDown();
  }

  void SeedIdentity() {
    identity_.id = NewId(clock_.Now());
    identity_.name = "checkout-worker";
    identity_.kind = IdentityKind::kWorkload;
    identity_.owner = "payments";
    identity_.scopes = {"certificates:renew", "secrets:read"};
    identity_.expires_at = clock_.Now() + std::chrono::hours(24 * 30);
    identity_.created_at = identity_.updated_at = clock_.Now();
    ASSERT_TRUE(store_
                    ->Write([&](Transaction& tx) {
                      return tx.identities().Insert(identity_);
                    })
                    .ok());
  }

  std::string Issue(std::vector<std::string> audience = {kIssuer},
                    std::optional<std::string> thumbprint = std::nullopt) {
    tokens::AccessTokenIssuer issuer(kIssuer, keys_->ring(), lifetimes_,
                                     clock_);
    tokens::AccessTokenRequest request;
    request.certificate_thumbprint = std::move(thumbprint);
    request.subject = request.client_id = identity_.id;
    request.audience = std::move(audience);
    request.scopes = {"secrets:read"};
    request.lifetime = {std::chrono::seconds(300), identity_.environment,
                        identity_.risk_tier, identity_.expires_at};
    auto issued = issuer.Issue(request);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued.ok() ? issued->token : std::string();
  }

  Result<Principal> Authenticate(const std::string& token) {
    return workloads_->Authenticate(token, "127.0.0.1:9", "req-w");
  }

  exposure::ConfigFeed feed_;
  tokens::LifetimePolicy lifetimes_;
  std::unique_ptr<OAuthKeyCustody> custody_;
  std::unique_ptr<OAuthSigningKeys> keys_;
  std::unique_ptr<UsageRecorder> usage_;
  std::unique_ptr<IdentityTokenPolicy> policy_;
  std::unique_ptr<TokenRevocation> tokens_;
  std::unique_ptr<WorkloadAuthenticator> workloads_;
  Identity identity_;
};

// RFC 8705 section 3: a bound token needs the connection's certificate.
TEST_F(WorkloadAuthenticatorTest, BoundTokenNeedsItsCertificate) {
  const std::string thumbprint = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2";
  const std::string token = Issue({kIssuer}, thumbprint);
  EXPECT_TRUE(
      workloads_->Authenticate(token, "127.0.0.1:9", "req-w", thumbprint).ok());
  Result<Principal> without = Authenticate(token);
  EXPECT_EQ(without.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(without.status().message().find("RFC 8705"), std::string::npos);
  std::string other = thumbprint;
  other.back() = 'X';
  EXPECT_EQ(workloads_->Authenticate(token, "127.0.0.1:9", "req-w", other)
                .status()
                .code(),
            StatusCode::kUnauthenticated);
  // An unbound token does not care which certificate the connection has.
  EXPECT_TRUE(
      workloads_->Authenticate(Issue(), "127.0.0.1:9", "req-w", thumbprint)
          .ok());
}

TEST_F(WorkloadAuthenticatorTest, LiveTokenBecomesAWorkloadPrincipal) {
  Result<Principal> principal = Authenticate(Issue());
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->subject, "client:" + identity_.id);
  EXPECT_EQ(principal->role, Role::kSdk);
  ASSERT_TRUE(principal->workload.has_value());
  EXPECT_EQ(principal->workload->identity_id, identity_.id);
  EXPECT_TRUE(principal->workload->HasScope("secrets:read"));
  EXPECT_FALSE(principal->workload->HasScope("certificates:renew"));
}

TEST_F(WorkloadAuthenticatorTest, ExpiredTokenIsRefusedAndAudited) {
  const std::string token = Issue();
  clock_.Advance(std::chrono::seconds(300 + 31));  // past exp + leeway
  const size_t before = AuditCount();
  Result<Principal> principal = Authenticate(token);
  ASSERT_FALSE(principal.ok());
  EXPECT_EQ(principal.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(principal.status().message().find("expired"), std::string::npos)
      << principal.status().message();
  ASSERT_EQ(AuditCount(), before + 1);
  const AuditRecord record = LastAudit();
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_EQ(record.event.details.find(token), std::string::npos);
}

TEST_F(WorkloadAuthenticatorTest, TokenFromTheFutureIsRefused) {
  clock_.Advance(std::chrono::seconds(120));
  const std::string token = Issue();
  clock_.Advance(std::chrono::seconds(-120));
  EXPECT_FALSE(Authenticate(token).ok());
}

TEST_F(WorkloadAuthenticatorTest, TokenAlsoMeantForAnotherAudienceIsRefused) {
  Result<Principal> principal =
      Authenticate(Issue({"https://payments.example", kIssuer}));
  ASSERT_FALSE(principal.ok());
  EXPECT_NE(principal.status().message().find("audience"), std::string::npos);
  // Without Warden's own audience the verifier refuses it already.
  EXPECT_FALSE(Authenticate(Issue({"https://payments.example"})).ok());
}

TEST_F(WorkloadAuthenticatorTest, RevokedIdentityEpochRefusesOldTokens) {
  const std::string token = Issue();
  ASSERT_TRUE(Authenticate(token).ok());
  clock_.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(tokens_->RevokeIdentity(identity_.id, "test").ok());
  EXPECT_FALSE(Authenticate(token).ok());
}

TEST_F(WorkloadAuthenticatorTest, RefuseRecordsADenialNamingTheRoute) {
  Caller caller;
  caller.principal = *Authenticate(Issue());
  caller.request_id = "req-x";
  Status refused = workloads_->Refuse(caller, "GET", "/v1/identities");
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  const AuditRecord record = LastAudit();
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_EQ(record.event.target, "GET /v1/identities");
  EXPECT_EQ(record.event.actor, "client:" + identity_.id);
}

TEST(WorkloadTokenShapeTest, TellsApiTokensAndJwtsApart) {
  EXPECT_TRUE(WorkloadAuthenticator::LooksLikeAccessToken("aGk.eyJ9.c2ln"));
  EXPECT_TRUE(WorkloadAuthenticator::LooksLikeAccessToken("aGk.eyJ9."));
  EXPECT_FALSE(WorkloadAuthenticator::LooksLikeAccessToken("wdn_abc.def.ghi"));
  EXPECT_FALSE(WorkloadAuthenticator::LooksLikeAccessToken("wdn_abcdef"));
  EXPECT_FALSE(WorkloadAuthenticator::LooksLikeAccessToken(""));
  EXPECT_FALSE(WorkloadAuthenticator::LooksLikeAccessToken("a.b"));
  EXPECT_FALSE(WorkloadAuthenticator::LooksLikeAccessToken("a.b.c.d"));
  EXPECT_FALSE(WorkloadAuthenticator::LooksLikeAccessToken(".b.c"));
  EXPECT_FALSE(WorkloadAuthenticator::LooksLikeAccessToken("a b.c.d"));
}

}  // namespace
}  // namespace warden::oauth
