// The contract of sqlite_query.h: every kind of parameter binds in order,
// decoders may fail, a missing row is std::nullopt, errors carry the
// caller's context, and a prepared statement runs again after Execute.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/sql/query.h"
#include "store/sqlite/sqlite_connection.h"

namespace warden::sql {
namespace {

using sqlite::SqliteConnection;

struct Row {
  std::string name;
  std::optional<int64_t> size;
};

Row DecodeRow(const sql::Statement& s) { return {s.Text(0), s.OptionalInt(1)}; }

class SqliteQueryTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden_query_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    SqliteConnection::Options options;
    options.path = dir_ + "/query.db";
    auto connection = SqliteConnection::Open(options);
    ASSERT_TRUE(connection.ok()) << connection.status().ToString();
    connection_ = std::move(connection).value();
    ASSERT_TRUE(connection_
                    ->Exec("CREATE TABLE items (name TEXT PRIMARY KEY, "
                           "size INTEGER)",
                           "create items")
                    .ok());
  }
  void TearDown() override {
    connection_.reset();
    std::filesystem::remove_all(dir_);
  }

  Status Insert(std::string_view name, std::optional<int64_t> size) {
    return Execute(*connection_, "INSERT INTO items (name, size) VALUES (?, ?)",
                   "insert item", name, size);
  }

  Result<std::vector<Row>> All() {
    return QueryRows(*connection_, "SELECT name, size FROM items ORDER BY name",
                     "list items", DecodeRow);
  }

  std::string dir_;
  std::unique_ptr<sql::Connection> connection_;
};

TEST_F(SqliteQueryTest, EveryKindOfParameterBindsInOrder) {
  ASSERT_TRUE(Insert("a", 1).ok());
  ASSERT_TRUE(Insert("b", std::nullopt).ok());
  std::variant<int64_t, std::string> name = std::string("c");
  std::vector<std::variant<int64_t, std::string>> size = {int64_t{3}};
  ASSERT_TRUE(Execute(*connection_,
                      "INSERT INTO items (name, size) VALUES (?, ?)",
                      "insert item", name, size)
                  .ok());
  ASSERT_TRUE(Execute(*connection_,
                      "INSERT INTO items (name, size) VALUES (?, ?)",
                      "insert item",
                      [](sql::Statement& s) { BindAll(s, "d", int64_t{4}); })
                  .ok());

  Result<std::vector<Row>> rows = All();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].name, "a");
  EXPECT_EQ((*rows)[0].size, 1);
  EXPECT_EQ((*rows)[1].name, "b");
  EXPECT_FALSE((*rows)[1].size.has_value());
  EXPECT_EQ((*rows)[2].name, "c");
  EXPECT_EQ((*rows)[2].size, 3);
  EXPECT_EQ((*rows)[3].name, "d");
  EXPECT_EQ((*rows)[3].size, 4);
}

TEST_F(SqliteQueryTest, QueryFirstIsNulloptWithoutARow) {
  ASSERT_TRUE(Insert("a", 1).ok());
  auto size = [](const sql::Statement& s) { return s.Int(0); };
  Result<std::optional<int64_t>> found =
      QueryFirst(*connection_, "SELECT size FROM items WHERE name = ?",
                 "get item", size, "a");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, 1);
  Result<std::optional<int64_t>> missing =
      QueryFirst(*connection_, "SELECT size FROM items WHERE name = ?",
                 "get item", size, "z");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(SqliteQueryTest, AFailingDecoderEndsTheQueryWithItsStatus) {
  ASSERT_TRUE(Insert("a", 1).ok());
  ASSERT_TRUE(Insert("b", -1).ok());
  auto positive = [](const sql::Statement& s) -> Result<int64_t> {
    if (s.Int(0) < 0) return Internal("corrupt size");
    return s.Int(0);
  };
  Result<std::vector<int64_t>> rows =
      QueryRows(*connection_, "SELECT size FROM items ORDER BY name",
                "list sizes", positive);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().message(), "corrupt size");
  Result<std::optional<int64_t>> first =
      QueryFirst(*connection_, "SELECT size FROM items WHERE name = 'b'",
                 "get size", positive);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), StatusCode::kInternal);
}

TEST_F(SqliteQueryTest, ErrorsCarryTheCallersContext) {
  ASSERT_TRUE(Insert("a", 1).ok());
  Status duplicate = Insert("a", 2);
  EXPECT_EQ(duplicate.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.message().rfind("insert item: ", 0), 0u)
      << duplicate.message();
  Result<std::vector<Row>> bad = QueryRows(
      *connection_, "SELECT nope FROM items", "list nothing", DecodeRow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("list nothing: ", 0), 0u)
      << bad.status().message();
}

TEST_F(SqliteQueryTest, APreparedStatementRunsAgainAfterExecute) {
  Result<sql::Statement> stmt = connection_->Prepare(
      "INSERT INTO items (name, size) VALUES (?, ?)", "insert items");
  ASSERT_TRUE(stmt.ok());
  for (std::string name : {"a", "b", "c"}) {
    ASSERT_TRUE(Execute(*stmt, "insert items", name, int64_t{7}).ok());
  }
  Result<std::vector<Row>> rows = All();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 3u);
}

}  // namespace
}  // namespace warden::sql
