// MigratePostgresSchema against a real server (WARDEN_TEST_POSTGRES_URI):
// a fresh database, a second run, many processes at once (also under a
// REPEATABLE READ default), a newer database refused, a failed migration
// leaving nothing behind.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <cctype>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_schema.h"
#include "store/sql/query.h"

namespace warden::postgres {
namespace {

std::string Uri() {
  const char* uri = getenv("WARDEN_TEST_POSTGRES_URI");
  return uri ? uri : "";
}

std::string UriOf(const std::string& db) {
  std::string uri = Uri();
  return uri.substr(0, uri.rfind('/') + 1) + db;
}

std::unique_ptr<PgConnection> Connect(const std::string& uri) {
  auto c = PgConnection::Open(uri);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(*c);
}

int64_t Scalar(sql::Connection& c, const std::string& q) {
  auto r = sql::QueryFirst(c, q, "scalar",
                           [](const sql::Statement& s) { return s.Int(0); });
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && *r ? **r : -1;
}

class PgSchemaLiveTest : public testing::Test {
 protected:
  void SetUp() override {
    if (Uri().empty()) GTEST_SKIP() << "WARDEN_TEST_POSTGRES_URI unset";
    db_ = std::string("schema_") +
          testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& ch : db_) ch = std::tolower(ch);
    auto admin = Connect(Uri());
    ASSERT_TRUE(admin->Exec("DROP DATABASE IF EXISTS " + db_, "drop").ok());
    ASSERT_TRUE(admin->Exec("CREATE DATABASE " + db_, "create").ok());
  }
  std::string db_;
};

TEST_F(PgSchemaLiveTest, MigratesOnceAndIsIdempotent) {
  auto c = Connect(UriOf(db_));
  ASSERT_TRUE(MigratePostgresSchema(*c, 42).ok());
  ASSERT_TRUE(MigratePostgresSchema(*c, 43).ok());
  // Each migration applied once: no version twice, none added by the rerun.
  EXPECT_EQ(Scalar(*c,
                   "SELECT COUNT(*) - COUNT(DISTINCT version) FROM "
                   "schema_migrations"),
            0);
  EXPECT_EQ(Scalar(*c,
                   "SELECT COUNT(*) FROM schema_migrations WHERE "
                   "applied_at_us <> 42"),
            0);
  EXPECT_EQ(Scalar(*c, "SELECT MAX(version) FROM schema_migrations"),
            PostgresSchemaVersion());
  EXPECT_EQ(Scalar(*c, "SELECT applied_at_us FROM schema_migrations"), 42);
  EXPECT_EQ(Scalar(*c, "SELECT COUNT(*) FROM change_log"), 0);
  EXPECT_FALSE(c->InTransaction());
  // Byte-wise ordering, as SQLite's BINARY collation.
  ASSERT_TRUE(c->Exec("INSERT INTO settings VALUES ('b', ''), ('B', ''), "
                      "('a', ''), ('_', '')",
                      "seed")
                  .ok());
  auto keys =
      sql::QueryRows(*c, "SELECT key FROM settings ORDER BY key", "order",
                     [](const sql::Statement& s) { return s.Text(0); });
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*keys, (std::vector<std::string>{"B", "_", "a", "b"}));
}

void MigrateConcurrently(const std::string& uri, int n) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&] {
      auto c = PgConnection::Open(uri);
      if (!c.ok()) return;
      Status s = MigratePostgresSchema(**c, 1);
      if (s.ok()) {
        ++ok;
      } else {
        ADD_FAILURE() << s.ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), n);
}

TEST_F(PgSchemaLiveTest, ReplicasStartingTogether) {
  MigrateConcurrently(UriOf(db_), 8);
  auto c = Connect(UriOf(db_));
  EXPECT_EQ(Scalar(*c,
                   "SELECT COUNT(*) - COUNT(DISTINCT version) FROM "
                   "schema_migrations"),
            0);
  EXPECT_EQ(Scalar(*c, "SELECT MAX(version) FROM schema_migrations"),
            PostgresSchemaVersion());
}

TEST_F(PgSchemaLiveTest, ReplicasStartingTogetherUnderRepeatableRead) {
  auto admin = Connect(Uri());
  ASSERT_TRUE(admin
                  ->Exec("ALTER DATABASE " + db_ +
                             " SET default_transaction_isolation = "
                             "'repeatable read'",
                         "alter")
                  .ok());
  MigrateConcurrently(UriOf(db_), 8);
}

TEST_F(PgSchemaLiveTest, NewerDatabaseIsRefused) {
  auto c = Connect(UriOf(db_));
  ASSERT_TRUE(MigratePostgresSchema(*c, 1).ok());
  ASSERT_TRUE(c->Exec("INSERT INTO schema_migrations VALUES (99, 'future', 1)",
                      "future")
                  .ok());
  Status s = MigratePostgresSchema(*c, 2);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.ToString().find("99"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find(std::to_string(PostgresSchemaVersion())),
            std::string::npos);
  EXPECT_EQ(s.problem(), "schema-too-new");
  EXPECT_FALSE(c->InTransaction());
}

TEST_F(PgSchemaLiveTest, FailedMigrationLeavesNothing) {
  auto c = Connect(UriOf(db_));
  // A table in the way: the baseline's CREATE TABLE fails.
  ASSERT_TRUE(c->Exec("CREATE TABLE oidc_logins (x int)", "in the way").ok());
  Status s = MigratePostgresSchema(*c, 1);
  EXPECT_FALSE(s.ok());
  std::cerr << s.ToString() << "\n";
  EXPECT_FALSE(c->InTransaction());
  EXPECT_EQ(Scalar(*c,
                   "SELECT COUNT(*) FROM pg_tables WHERE schemaname = "
                   "'public'"),
            1);
}

}  // namespace
}  // namespace warden::postgres
