// Revocations and their audit records commit together (DESIGN: "every
// mutation is appended to the audit log in the same transaction as the
// change"). A store seam fails the N-th write unit after it ran (rolled
// back, as a failed commit is); whatever fails, the stored revocation row
// and the "ok" audit record exist both or neither, and memory fails closed.
#include "oauth/token_revocation.h"

#include <gtest/gtest.h>

#include <atomic>

#include "exposure/config_feed.h"
#include "oauth/identity_token_policy.h"
#include "oauth/key_custody.h"
#include "oauth/signing_keys.h"
#include "oauth/usage_recorder.h"
#include "service/service_test_env.h"
#include "tokens/access_token_issuer.h"

namespace warden::oauth {
namespace {

// Runs every unit on the real store; the `fail_at`-th Write (1-based) is
// rolled back after its unit ran and reported as a failed commit.
class CommitFailingStore : public Store {
 public:
  explicit CommitFailingStore(Store& inner) : inner_(inner) {}
  void FailWrite(int nth) {
    writes_ = 0;
    fail_at_ = nth;
  }
  Status Write(UnitOfWork work) override {
    const bool fail = ++writes_ == fail_at_;
    return inner_.Write([&](Transaction& tx) -> Status {
      WARDEN_RETURN_IF_ERROR(work(tx));
      if (fail) return Unavailable("injected commit failure");
      return Status::Ok();
    });
  }
  Status Read(UnitOfWork work) override { return inner_.Read(work); }
  void Close() override {}
  bool Healthy() override { return inner_.Healthy(); }

 private:
  Store& inner_;
  std::atomic<int> writes_{0};
  std::atomic<int> fail_at_{0};
};

constexpr char kIssuer[] = "http://127.0.0.1:1";

class TokenRevocationTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    faulty_ = std::make_unique<CommitFailingStore>(*store_);
    audited_ = std::make_unique<Auditor>(*faulty_, clock_);
    auto custody = OAuthKeyCustody::Create(std::string(32, 'k'));
    ASSERT_TRUE(custody.ok());
    custody_ = std::make_unique<OAuthKeyCustody>(*custody);
    auto keys = OAuthSigningKeys::Load(*faulty_, *custody_, {}, clock_.Now());
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    keys_ = std::move(keys).value();
    usage_ = std::make_unique<UsageRecorder>(*faulty_,
                                             std::chrono::milliseconds(50));
    policy_ = std::make_unique<IdentityTokenPolicy>(*faulty_, *audited_, feed_);
    tokens_ = std::make_unique<TokenRevocation>(
        *faulty_, *audited_, *keys_, *policy_, *usage_, kIssuer,
        std::make_unique<tokens::RevocationState>());
  }
  void TearDown() override {
    if (usage_) usage_->Stop();
    tokens_.reset();
    policy_.reset();
    usage_.reset();
    keys_.reset();
    audited_.reset();
    ServiceTestEnv::TearDown();
  }

  tokens::IssuedAccessToken IssueToken(const std::string& subject) {
    tokens::AccessTokenIssuer issuer(kIssuer, keys_->ring(), lifetimes_,
                                     clock_);
    tokens::AccessTokenRequest request;
    request.subject = request.client_id = subject;
    request.audience = {kIssuer};
    request.scopes = {"read"};
    auto issued = issuer.Issue(request);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued.ok() ? *issued : tokens::IssuedAccessToken{};
  }

  std::string StoredRevocations() {
    std::optional<std::string> document;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(document,
                                              tx.oauth().GetRevocationState());
                      return Status::Ok();
                    })
                    .ok());
    return document.value_or("");
  }

  int OkRecords(std::string_view action, std::string_view target) {
    int count = 0;
    for (const AuditRecord& record : AuditLog()) {
      if (record.event.action == action && record.event.target == target &&
          record.event.outcome == "ok") {
        ++count;
      }
    }
    return count;
  }

  // Both the row (naming `key`) and the ok record, or neither.
  void ExpectTogether(std::string_view key, std::string_view action,
                      std::string_view target, bool expected) {
    const bool row = StoredRevocations().find(key) != std::string::npos;
    const int records = OkRecords(action, target);
    EXPECT_EQ(row, expected) << StoredRevocations();
    EXPECT_EQ(records, expected ? 1 : 0);
  }

  exposure::ConfigFeed feed_;
  tokens::LifetimePolicy lifetimes_;
  std::unique_ptr<CommitFailingStore> faulty_;
  std::unique_ptr<Auditor> audited_;
  std::unique_ptr<OAuthKeyCustody> custody_;
  std::unique_ptr<OAuthSigningKeys> keys_;
  std::unique_ptr<UsageRecorder> usage_;
  std::unique_ptr<IdentityTokenPolicy> policy_;
  std::unique_ptr<TokenRevocation> tokens_;
};

TEST_F(TokenRevocationTest, RevokeTokenWritesRowAndRecordTogether) {
  tokens::IssuedAccessToken issued = IssueToken("id-1");
  ASSERT_TRUE(tokens_->Revoke(Admin(), "", issued.token).ok());
  ExpectTogether(issued.claims.jwt_id, "oauth.token.revoke", "id-1", true);
}

TEST_F(TokenRevocationTest, RevokeTokenFailureLeavesNeitherRowNorRecord) {
  for (int nth : {1, 2}) {
    SCOPED_TRACE(nth);
    tokens::IssuedAccessToken issued = IssueToken("id-" + std::to_string(nth));
    faulty_->FailWrite(nth);
    Status revoked = tokens_->Revoke(Admin(), "", issued.token);
    faulty_->FailWrite(0);
    const bool committed = revoked.ok();
    // Only one unit exists; failing the second write fails nothing.
    EXPECT_EQ(committed, nth != 1) << revoked.ToString();
    ExpectTogether(issued.claims.jwt_id, "oauth.token.revoke",
                   issued.claims.subject, committed);
    // Fail closed: this process keeps refusing the token either way.
    EXPECT_FALSE(tokens_->revocations().IsActive(issued.claims, clock_.Now()));
  }
}

TEST_F(TokenRevocationTest, RevokeIdentityIsAuditedWithItsEpoch) {
  tokens::IssuedAccessToken issued = IssueToken("id-s");
  clock_.Advance(std::chrono::seconds(2));
  faulty_->FailWrite(1);
  EXPECT_FALSE(tokens_->RevokeIdentity("id-s", "suspended").ok());
  faulty_->FailWrite(0);
  ExpectTogether("id-s", TokenRevocation::kRevokeIdentityAction, "id-s", false);
  EXPECT_FALSE(tokens_->revocations().IsActive(issued.claims, clock_.Now()));

  ASSERT_TRUE(tokens_->RevokeIdentity("id-s", "suspended").ok());
  ExpectTogether("id-s", TokenRevocation::kRevokeIdentityAction, "id-s", true);
}

TEST_F(TokenRevocationTest, RevokeTenantIsAuditedWithItsEpoch) {
  faulty_->FailWrite(1);
  EXPECT_FALSE(tokens_->RevokeTenant("acme", "exposure limit l1").ok());
  faulty_->FailWrite(0);
  ExpectTogether("acme", TokenRevocation::kRevokeTenantAction, "acme", false);

  ASSERT_TRUE(tokens_->RevokeTenant("acme", "exposure limit l1").ok());
  ExpectTogether("acme", TokenRevocation::kRevokeTenantAction, "acme", true);
}

// The state a restart serves is the persisted one, in place before the
// object is shared (it used to be swapped in after construction, under
// concurrent readers).
TEST_F(TokenRevocationTest, LoadStateServesPersistedRevocations) {
  tokens::IssuedAccessToken issued = IssueToken("id-r");
  ASSERT_TRUE(tokens_->Revoke(Admin(), "", issued.token).ok());
  auto loaded = TokenRevocation::LoadState(*faulty_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  TokenRevocation restarted(*faulty_, *audited_, *keys_, *policy_, *usage_,
                            kIssuer, std::move(loaded).value());
  EXPECT_FALSE(restarted.revocations().IsActive(issued.claims, clock_.Now()));
}

}  // namespace
}  // namespace warden::oauth
