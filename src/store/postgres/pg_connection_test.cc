// The pure parts of the libpq connection: placeholder rewriting, the
// SQLSTATE mapping and URI redaction. The connection itself is tested by the
// store suites on a real server.
#include "store/postgres/pg_connection.h"

#include <gtest/gtest.h>

namespace warden::postgres {
namespace {

TEST(RewritePlaceholdersTest, NumbersPlainAndExplicitPlaceholders) {
  EXPECT_EQ(RewritePlaceholders("SELECT a FROM t WHERE b = ? AND c = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = $2");
  EXPECT_EQ(RewritePlaceholders("WHERE a = ?2 OR b = ?1 OR c = ?2"),
            "WHERE a = $2 OR b = $1 OR c = $2");
  // A plain ? after ?N takes the next number after the largest so far.
  EXPECT_EQ(RewritePlaceholders("?3, ?"), "$3, $4");
}

TEST(RewritePlaceholdersTest, LeavesLiteralsIdentifiersAndCommentsAlone) {
  EXPECT_EQ(RewritePlaceholders("SELECT '?', \"a?\" -- ?\n, ? /* ? */"),
            "SELECT '?', \"a?\" -- ?\n, $1 /* ? */");
  EXPECT_EQ(RewritePlaceholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  // An unterminated literal is copied as is (the server reports it).
  EXPECT_EQ(RewritePlaceholders("SELECT '?"), "SELECT '?");
}

TEST(StatusFromSqlStateTest, MapsTheStoreErrorContract) {
  EXPECT_EQ(StatusFromSqlState("23505", "c", "d").code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(StatusFromSqlState("23503", "c", "d").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusFromSqlState("23514", "c", "d").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusFromSqlState("08006", "c", "d").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlState("40001", "c", "d").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlState("42601", "c", "d").code(),
            StatusCode::kInternal);
  EXPECT_EQ(StatusFromSqlState("42601", "ctx", "detail").message(),
            "ctx: detail");
}

TEST(RedactConnectionUriTest, MasksEveryPassword) {
  EXPECT_EQ(RedactConnectionUri("postgresql://warden:s3cret@db:5432/warden"),
            "postgresql://warden:***@db:5432/warden");
  EXPECT_EQ(
      RedactConnectionUri(
          "postgresql://warden@db/warden?password=s3cret&sslmode=require"),
      "postgresql://warden@db/warden?password=***&sslmode=require");
  EXPECT_EQ(RedactConnectionUri("host=db password=s3cret dbname=warden"),
            "host=db password=*** dbname=warden");
  // Nothing to mask.
  EXPECT_EQ(RedactConnectionUri("postgresql://warden@127.0.0.1:5432/x"),
            "postgresql://warden@127.0.0.1:5432/x");
  // A colon after the host is a port, not a password.
  EXPECT_EQ(RedactConnectionUri("postgresql://db:5432/x"),
            "postgresql://db:5432/x");
}

}  // namespace
}  // namespace warden::postgres
