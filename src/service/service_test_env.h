// Test fixture for the service tests (tests only): a real SQLite store in a
// fresh temporary directory, a manual clock, an Auditor, and helpers to read
// the audit log back and to seed rows directly through the store.
#ifndef WARDEN_SERVICE_SERVICE_TEST_ENV_H_
#define WARDEN_SERVICE_SERVICE_TEST_ENV_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/id.h"
#include "service/auditor.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {

class ServiceTestEnv : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = testing::TempDir() + "warden-service-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    SqliteStoreOptions options;
    options.path = dir_ + "/warden.db";
    options.changes = &changes_;
    auto opened = OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    auditor_ = std::make_unique<Auditor>(*store_, clock_);
  }

  void TearDown() override {
    auditor_.reset();
    if (store_) store_->Close();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  static Caller As(Role role, std::string subject, std::string team = {}) {
    Caller caller;
    caller.principal.subject = std::move(subject);
    caller.principal.token_id = "tok-" + caller.principal.subject;
    // A subject that is not "token:<id>" is a Warden user's own token.
    if (!caller.principal.subject.starts_with("token:")) {
      caller.principal.user = caller.principal.subject;
    }
    caller.principal.role = role;
    caller.principal.team = std::move(team);
    caller.request_id = "req-1";
    caller.remote = "127.0.0.1:5555";
    return caller;
  }
  static Caller Admin() { return As(Role::kAdmin, "root"); }

  std::vector<AuditRecord> AuditLog() {
    std::vector<AuditRecord> all;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      AuditFilter filter;
                      filter.limit = 100000;
                      WARDEN_ASSIGN_OR_RETURN(all, tx.audit().Query(filter));
                      return Status::Ok();
                    })
                    .ok());
    return all;
  }
  size_t AuditCount() { return AuditLog().size(); }
  AuditRecord LastAudit() {
    std::vector<AuditRecord> all = AuditLog();
    EXPECT_FALSE(all.empty());
    return all.empty() ? AuditRecord{} : all.back();
  }
  static boost::json::object Details(const AuditRecord& record) {
    return boost::json::parse(record.event.details).as_object();
  }

  void SeedTeam(const std::string& name) {
    Team team;
    team.name = name;
    team.created_at = team.updated_at = clock_.Now();
    ASSERT_TRUE(
        store_->Write([&](Transaction& tx) { return tx.teams().Insert(team); })
            .ok());
  }

  std::string dir_;
  ManualClock clock_{FromMicros(1'800'000'000'000'000)};
  ChangeFeed changes_;  // outlives store_, which publishes to it
  std::unique_ptr<Store> store_;
  std::unique_ptr<Auditor> auditor_;
};

// Asserts that `body` appends exactly one audit record and returns it.
#define EXPECT_ONE_AUDIT_RECORD(body)              \
  [&]() {                                          \
    const size_t before_ = AuditCount();           \
    body;                                          \
    EXPECT_EQ(AuditCount(), before_ + 1) << #body; \
    return LastAudit();                            \
  }()

}  // namespace warden

#endif  // WARDEN_SERVICE_SERVICE_TEST_ENV_H_
