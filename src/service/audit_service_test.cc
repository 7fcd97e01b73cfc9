#include "service/audit_service.h"

#include <sqlite3.h>

#include "core/crypto.h"
#include "service/service_test_env.h"

namespace warden {
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

  // Edits the database behind the store's back, as an attacker with file
  // access would, then reopens the store.
  void Tamper(const std::string& sql) {
    store_->Close();
    auditor_.reset();
    store_.reset();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ + "/warden.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    SqliteStoreOptions options;
    options.path = dir_ + "/warden.db";
    auto opened = OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    auditor_ = std::make_unique<Auditor>(*store_, clock_);
  }

  AuditVerification Verify() {
    Result<AuditVerification> v = VerifyAuditChain(*store_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AuditVerification{};
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

TEST_F(AuditServiceTest, EmptyChainVerifies) {
  const AuditVerification v = Verify();
  EXPECT_EQ(v.records_checked, 0);
  EXPECT_FALSE(v.first_broken_sequence.has_value());
}

TEST_F(AuditServiceTest, IntactChainAcrossSeveralPagesVerifies) {
  AppendEvents(2500);
  const AuditVerification v = Verify();
  EXPECT_EQ(v.records_checked, 2500);
  EXPECT_FALSE(v.first_broken_sequence.has_value()) << v.problem;
  EXPECT_GT(v.bytes_hashed, 2500 * 64);
}

TEST_F(AuditServiceTest, AlteredRecordIsTheFirstBroken) {
  AppendEvents(1200);
  Tamper("UPDATE audit_log SET outcome = 'deny' WHERE sequence = 1100");
  const AuditVerification v = Verify();
  ASSERT_TRUE(v.first_broken_sequence.has_value());
  EXPECT_EQ(*v.first_broken_sequence, 1100);
  EXPECT_EQ(v.records_checked, 1099);
  EXPECT_NE(v.problem.find("hash"), std::string::npos) << v.problem;
}

TEST_F(AuditServiceTest, DeletedRecordIsAGap) {
  AppendEvents(20);
  Tamper("DELETE FROM audit_log WHERE sequence = 7");
  const AuditVerification v = Verify();
  ASSERT_TRUE(v.first_broken_sequence.has_value());
  EXPECT_EQ(*v.first_broken_sequence, 8);
  EXPECT_NE(v.problem.find("expected 7"), std::string::npos) << v.problem;
}

TEST_F(AuditServiceTest, RehashedRecordBreaksTheNextLink) {
  AppendEvents(10);
  // Rewrites record 5 and recomputes its own hash; record 6 still points at
  // the old hash.
  AuditRecord five;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> Status {
                    AuditFilter f;
                    f.after_sequence = 4;
                    f.limit = 1;
                    WARDEN_ASSIGN_OR_RETURN(auto rs, tx.audit().Query(f));
                    five = rs.at(0);
                    return Status::Ok();
                  })
                  .ok());
  five.event.actor = "mallory";
  const std::string hash =
      AuditRecordHash(five.sequence, five.event, five.prev_hash);
  Tamper("UPDATE audit_log SET actor = 'mallory', hash = '" + hash +
         "' WHERE sequence = 5");
  const AuditVerification v = Verify();
  ASSERT_TRUE(v.first_broken_sequence.has_value());
  EXPECT_EQ(*v.first_broken_sequence, 6);
  EXPECT_NE(v.problem.find("prev_hash"), std::string::npos) << v.problem;
}

}  // namespace
}  // namespace warden
