#include "inventory/audit_service.h"

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

// Chain verification is tested in audit/audit_chain_verifier_test.cc.

}  // namespace
}  // namespace warden::inventory
