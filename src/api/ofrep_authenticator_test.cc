// OfrepAuthenticator's cache: fills audit once, refresh-ahead answers from
// the still-valid entry while the refresh runs elsewhere, a refresh that
// finds the token revoked drops it, and a refresh that started before an
// Invalidate() does not put its (possibly stale) answer back.
#include "api/ofrep_authenticator.h"

#include <functional>
#include <vector>

#include "http/router.h"
#include "inventory/access_service.h"
#include "service/audit_summary_recorder.h"
#include "service/auth_failure_throttle.h"
#include "service/service_test_env.h"

namespace warden::api {
namespace {

using std::chrono::seconds;

class OfrepAuthenticatorTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    access_ = std::make_unique<inventory::AccessService>(*store_, *auditor_);
    auth_ = std::make_unique<OfrepAuthenticator>(*access_, *store_, *auditor_,
                                                 clock_);
    auth_->RunRefreshesOn([this](std::function<void()> task) {
      tasks_.push_back(std::move(task));
    });
    inventory::TokenRequest request;
    request.role = Role::kSdk;
    request.environment = Environment::kDevelopment;
    Result<inventory::IssuedToken> issued =
        access_->CreateToken(Admin(), request);
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    token_ = *issued;
  }
  void TearDown() override {
    auth_.reset();
    access_.reset();
    ServiceTestEnv::TearDown();
  }

  Result<EvaluationCaller> Authenticate(bool may_block = true,
                                        const std::string& key = {}) {
    ApiRequest request;
    request.target = "/ofrep/v1/evaluate/flags/x";
    request.api_key = key.empty() ? token_.secret : key;
    request.remote = "127.0.0.1:4000";
    request.request_id = "req-ofrep";
    request.may_block = may_block;
    return auth_->Authenticate(request);
  }
  size_t Fills() {
    size_t n = 0;
    for (const AuditRecord& record : AuditLog()) {
      n += record.event.action == "ofrep.access" ? 1 : 0;
    }
    return n;
  }
  void RunTasks() {
    std::vector<std::function<void()>> tasks = std::move(tasks_);
    tasks_.clear();
    for (auto& task : tasks) task();
  }

  std::unique_ptr<inventory::AccessService> access_;
  std::unique_ptr<OfrepAuthenticator> auth_;
  std::vector<std::function<void()>> tasks_;
  inventory::IssuedToken token_;
};

TEST_F(OfrepAuthenticatorTest, MissFillsOnceThenServesFromCache) {
  ASSERT_TRUE(Authenticate().ok());
  ASSERT_TRUE(Authenticate().ok());
  clock_.Advance(seconds(10));
  ASSERT_TRUE(Authenticate().ok());
  EXPECT_EQ(Fills(), 1u);
  EXPECT_TRUE(tasks_.empty());
}

TEST_F(OfrepAuthenticatorTest, RefreshAheadAnswersFromCacheAndRefreshesOnce) {
  ASSERT_TRUE(Authenticate().ok());
  clock_.Advance(kAuthCacheRefreshAfter + seconds(1));
  // Both answered without a store round trip; one refresh scheduled.
  ASSERT_TRUE(Authenticate().ok());
  ASSERT_TRUE(Authenticate().ok());
  EXPECT_EQ(Fills(), 1u);
  ASSERT_EQ(tasks_.size(), 1u);
  RunTasks();
  EXPECT_EQ(Fills(), 2u);  // the refresh is audited like a fill
  // Past the first entry's expiry the refreshed entry still answers.
  clock_.Advance(kAuthCacheTtl - kAuthCacheRefreshAfter + seconds(1));
  ASSERT_TRUE(Authenticate().ok());
  EXPECT_EQ(Fills(), 2u);
  EXPECT_TRUE(tasks_.empty());
}

TEST_F(OfrepAuthenticatorTest, RefreshFindingTheTokenRevokedDropsIt) {
  ASSERT_TRUE(Authenticate().ok());
  // Revoked behind the cache's back (no Invalidate: another replica).
  ASSERT_TRUE(access_->RevokeToken(Admin(), token_.token.id).ok());
  clock_.Advance(kAuthCacheRefreshAfter + seconds(1));
  ASSERT_TRUE(Authenticate().ok());  // still within the TTL
  RunTasks();
  Result<EvaluationCaller> refused = Authenticate();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(OfrepAuthenticatorTest, InvalidateRefusesAtOnceEvenDuringARefresh) {
  ASSERT_TRUE(Authenticate().ok());
  clock_.Advance(kAuthCacheRefreshAfter + seconds(1));
  ASSERT_TRUE(Authenticate().ok());
  ASSERT_EQ(tasks_.size(), 1u);
  ASSERT_TRUE(access_->RevokeToken(Admin(), token_.token.id).ok());
  auth_->Invalidate();
  EXPECT_EQ(Authenticate().status().code(), StatusCode::kUnauthenticated);
  RunTasks();
  EXPECT_EQ(Authenticate().status().code(), StatusCode::kUnauthenticated);
}

TEST_F(OfrepAuthenticatorTest, RefreshStartedBeforeInvalidateIsNotCached) {
  ASSERT_TRUE(Authenticate().ok());
  clock_.Advance(kAuthCacheRefreshAfter + seconds(1));
  ASSERT_TRUE(Authenticate().ok());
  ASSERT_EQ(tasks_.size(), 1u);
  auth_->Invalidate();  // e.g. some user disabled: the token stays valid
  RunTasks();           // authenticates, but must not re-insert
  EXPECT_EQ(Fills(), 2u);
  ASSERT_TRUE(Authenticate().ok());
  EXPECT_EQ(Fills(), 3u);  // a fresh fill, not the refresh's entry
}

// On an I/O thread (may_block false) a miss is never looked
// up: it asks for the worker pool, whatever the key, and nothing is read or
// written; a cached key is answered there.
TEST_F(OfrepAuthenticatorTest, MissOnAnIoThreadAsksForAWorker) {
  const size_t records = AuditLog().size();
  EXPECT_TRUE(IsNeedsWorker(Authenticate(/*may_block=*/false).status()));
  EXPECT_TRUE(IsNeedsWorker(
      Authenticate(/*may_block=*/false, "wdn_not-a-token").status()));
  EXPECT_EQ(AuditLog().size(), records);
  ASSERT_TRUE(Authenticate(/*may_block=*/true).ok());  // the worker's fill
  EXPECT_TRUE(Authenticate(/*may_block=*/false).ok());
}

// Failed lookups charge the source address; once its budget is spent a
// miss is refused (429 with a retry hint) before the store is asked, while
// a cached key from the same address keeps working.
TEST_F(OfrepAuthenticatorTest, FailuresAreLimitedPerSourceAddress) {
  AuditSummaryRecorder summaries(*store_, *auditor_, {});
  AuthFailureThrottle throttle(/*per_second=*/1, summaries, clock_);
  auth_ = std::make_unique<OfrepAuthenticator>(*access_, *store_, *auditor_,
                                               clock_, &throttle);
  ASSERT_TRUE(Authenticate().ok());  // cached
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(
        Authenticate(true, "wdn_bad-" + std::to_string(i)).status().code(),
        StatusCode::kUnauthenticated);
  }
  const size_t records = AuditLog().size();
  Status refused = Authenticate(true, "wdn_bad-next").status();
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_GT(refused.retry_after().count(), 0);
  EXPECT_EQ(AuditLog().size(), records);  // not looked up, not yet recorded
  EXPECT_TRUE(Authenticate().ok());
}

}  // namespace
}  // namespace warden::api
