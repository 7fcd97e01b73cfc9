#include "inventory/audit_service.h"

#include <future>
#include <thread>

#include "service/service_test_env.h"

namespace warden::inventory {
namespace {

class AuditServiceTest : public ServiceTestEnv {
 protected:
  void AppendEvents(int count) {
    ASSERT_TRUE(store_
                    ->Write([&](Transaction& tx) -> Status {
                      for (int i = 0; i < count; ++i) {
                        AuditEvent e;
                        e.time = clock_.Now();
                        e.actor = "root";
                        e.action = "test.event";
                        e.target = "thing/" + std::to_string(i);
                        e.outcome = "ok";
                        e.details = "{}";
                        WARDEN_RETURN_IF_ERROR(tx.audit().Append(e).status());
                      }
                      return Status::Ok();
                    })
                    .ok());
  }
};

TEST_F(AuditServiceTest, QueryNeedsAuditReadAndIsItselfAudited) {
  AuditService audit(*store_, *auditor_);
  AppendEvents(3);
  AuditFilter filter;
  filter.action = "test.event";
  Result<std::vector<AuditRecord>> got = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      got = audit.Query(As(Role::kAuditor, "aud"), filter));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->size(), 3u);
  EXPECT_EQ(record.event.action, "audit.query");
  EXPECT_EQ(record.event.target, "audit");
  EXPECT_EQ(Details(record).at("permission").as_string(), "audit.read");
  for (Role role : {Role::kAppOwner, Role::kAccountManager, Role::kSdk}) {
    EXPECT_EQ(audit.Query(As(role, "x", "payments"), filter).status().code(),
              StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(audit.Query(As(Role::kSecurity, "sec"), filter).ok());
  filter.limit = 0;
  EXPECT_EQ(audit.Query(Admin(), filter).status().code(),
            StatusCode::kInvalidArgument);
}

// Online verification: the service authorizes, runs the wired checker
// and records the outcome; the check itself is audit/'s
// (audit_chain_verifier_test.cc) and the wiring the server's
// (tests/integration/console_read_api_test.cc).
TEST_F(AuditServiceTest, VerifyRecordsTheCheckersAnswer) {
  AuditService audit(*store_, *auditor_);
  audit.set_chain_checker([]() -> Result<AuditChainCheck> {
    AuditChainCheck check;
    check.records_checked = 41;
    check.first_broken_sequence = 42;
    check.problem = "stored hash does not match the record's contents";
    check.head_sequence = 50;
    return check;
  });
  Result<AuditChainCheck> got = Internal("unset");
  const AuditRecord record =
      EXPECT_ONE_AUDIT_RECORD(got = audit.Verify(As(Role::kAuditor, "aud")));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(got->ok());
  EXPECT_EQ(record.event.action, "audit.verify");
  EXPECT_EQ(record.event.outcome, "ok");
  EXPECT_EQ(Details(record).at("first_broken_sequence").as_int64(), 42);
  EXPECT_EQ(Details(record).at("ok").as_bool(), false);
}

TEST_F(AuditServiceTest, VerifyRefusalsAreAudited) {
  AuditService audit(*store_, *auditor_);
  Result<AuditChainCheck> got = Internal("unset");
  AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      got = audit.Verify(As(Role::kAppOwner, "dev", "payments")));
  EXPECT_EQ(got.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(record.event.outcome, "deny");
  // Not wired: refused as a failed precondition, and recorded.
  record = EXPECT_ONE_AUDIT_RECORD(got = audit.Verify(Admin()));
  EXPECT_EQ(got.status().problem(), "audit-verify-unavailable");
  EXPECT_EQ(record.event.action, "audit.verify");
  // The checker's error is the call's.
  audit.set_chain_checker([]() -> Result<AuditChainCheck> {
    return FailedPrecondition("needs the key", "audit-key-required");
  });
  EXPECT_EQ(audit.Verify(Admin()).status().problem(), "audit-key-required");
}

TEST_F(AuditServiceTest, OneVerificationAtATime) {
  AuditService audit(*store_, *auditor_);
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  audit.set_chain_checker([&]() -> Result<AuditChainCheck> {
    entered.set_value();
    released.wait();
    return AuditChainCheck{};
  });
  std::thread first([&] { EXPECT_TRUE(audit.Verify(Admin()).ok()); });
  entered.get_future().wait();
  Result<AuditChainCheck> second = audit.Verify(Admin());
  EXPECT_EQ(second.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(second.status().problem(), "audit-verify-running");
  release.set_value();
  first.join();
}

}  // namespace
}  // namespace warden::inventory
