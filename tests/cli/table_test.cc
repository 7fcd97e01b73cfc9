// Unit tests of the pure pieces of the CLI: table rendering, exit-code
// mapping, query strings and problem+json decoding.
#include "cli/table.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cli/api_client.h"
#include "cli/command_context.h"
#include "cli/exit_codes.h"

namespace warden::cli {
namespace {

TEST(TableTest, ColumnsAreAlignedAndMissingCellsShowDash) {
  boost::json::array rows = {
      boost::json::object{{"name", "payments"}, {"members", {"alice", "bob"}}},
      boost::json::object{{"name", "ml"}}};
  std::string table =
      RenderTable({{"NAME", "name"}, {"MEMBERS", "members"}}, rows);
  EXPECT_EQ(table,
            "NAME      MEMBERS\n"
            "payments  alice,bob\n"
            "ml        -\n");
}

TEST(TableTest, ControlCharactersCannotReachTheTerminal) {
  EXPECT_EQ(CellText(boost::json::value("a\x1b[2Jb\n")), "a?[2Jb?");
}

TEST(TableTest, RecordAlignsValues) {
  boost::json::object record{{"id", "x1"}, {"status", "active"}};
  EXPECT_EQ(RenderRecord(record), "id:      x1\nstatus:  active\n");
}

TEST(ExitCodesTest, HttpStatusesMapToDocumentedCodes) {
  auto code = [](int http) {
    return ExitCodeFor(http == 200 ? Status()
                                   : Status(StatusCodeFromHttp(http), "x"));
  };
  EXPECT_EQ(code(200), kExitOk);
  EXPECT_EQ(code(400), kExitInvalidInput);
  EXPECT_EQ(code(401), kExitAuth);
  EXPECT_EQ(code(403), kExitAuth);
  EXPECT_EQ(code(404), kExitNotFound);
  EXPECT_EQ(code(409), kExitConflict);
  EXPECT_EQ(code(412), kExitConflict);
  EXPECT_EQ(code(413), kExitInvalidInput);
  EXPECT_EQ(code(422), kExitInvalidInput);
  EXPECT_EQ(code(429), kExitUnavailable);
  EXPECT_EQ(code(500), kExitInternal);
  EXPECT_EQ(code(503), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(FailedPrecondition("x", kAuditChainBrokenProblem)),
            kExitAuditChainBroken);
}

TEST(ApiClientTest, ProblemJsonBecomesSlugAndDetail) {
  ApiResponse response{
      422, "application/problem+json",
      R"({"type":"https://warden.dev/problems/validation-failed",)"
      R"("title":"Validation failed","detail":"expires_at: in the past"})"};
  Status status = StatusFromResponse(response);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.problem(), "validation-failed");
  EXPECT_EQ(status.message(), "expires_at: in the past");
}

TEST(ApiClientTest, NonJsonErrorStillGivesAMessage) {
  Status status = StatusFromResponse({502, "text/html", "<html>"});
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "server answered HTTP 502");
}

TEST(ApiClientTest, TakesHttpAndHttpsUrlsOnly) {
  auto create = [](const char* url) {
    ApiClientOptions options;
    options.url = url;
    return ApiClient::Create(options).ok();
  };
  EXPECT_TRUE(create("https://example.com"));
  EXPECT_FALSE(create("ftp://example.com"));
  EXPECT_FALSE(create("not a url"));
  EXPECT_FALSE(create("http://"));
  EXPECT_TRUE(create("http://127.0.0.1:8080/"));
  EXPECT_TRUE(create("http://[::1]:8080"));
}

TEST(QueryStringTest, EncodesValuesAndSkipsEmptyOnes) {
  QueryString query("/v1/identities");
  query.Add("owner", "a b&c").Add("kind", "").Add("q", "x/y");
  EXPECT_EQ(query.target(), "/v1/identities?owner=a%20b%26c&q=x%2Fy");
}

TEST(InstantFlagTest, AcceptsOneFormOnly) {
  EXPECT_FALSE(InstantFlag("2030-01-01T00:00:00Z", "30d", "f").ok());
  EXPECT_FALSE(InstantFlag("tomorrow", "", "f").ok());
  EXPECT_FALSE(InstantFlag("", "30x", "f").ok());
  EXPECT_EQ(*InstantFlag("2030-01-01T00:00:00+01:00", "", "f"),
            "2029-12-31T23:00:00Z");
  EXPECT_EQ(*InstantFlag("", "", "f"), "");
}

}  // namespace
}  // namespace warden::cli
