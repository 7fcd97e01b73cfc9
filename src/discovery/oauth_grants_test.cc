#include "discovery/oauth_grants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "discovery/test_files.h"

namespace warden::discovery {
namespace {

using ::testing::HasSubstr;
using testing::TestDirectory;

void ExpectNoIssues(const ScanReport& report) {
  for (const auto& issue : report.issues) {
    ADD_FAILURE() << issue.location << ": " << issue.message;
  }
}

const Observation* Find(const ScanReport& report, std::string_view key) {
  for (const auto& o : report.observations) {
    if (o.kind == kOAuthGrantKind && o.key == key) return &o;
  }
  return nullptr;
}

constexpr char kExport[] = R"({
  "exported_at": "2026-12-01T00:00:00Z",
  "grants": [
    {"app": "Calendar Sync", "app_id": "cal-123", "publisher": "Acme Inc",
     "scopes": ["calendar.read", "mail.read"], "granted_by": "bob@example.com",
     "granted_at": "2026-03-01T10:00:00+02:00", "verified_publisher": true,
     "last_used_at": "2026-11-01T00:00:00Z"},
    {"app": "Calendar Sync", "app_id": "cal-123", "publisher": "Acme Inc",
     "scopes": "mail.read offline_access",
     "granted_by": "alice@example.com",
     "granted_at": "2025-01-01T00:00:00Z",
     "last_used_at": "2026-11-20T00:00:00Z"},
    {"app": "Sketchy Notes", "publisher": "unknown", "scopes": [],
     "granted_by": "carol@example.com", "verified_publisher": false}
  ]
})";

TEST(OAuthGrantsTest, GrantsOfOneAppMerge) {
  TestDirectory dir;
  const auto path = dir.Write("grants.json", kExport);
  const ScanReport report = ScanOAuthGrants(path, nullptr);

  ExpectNoIssues(report);
  ASSERT_EQ(report.observations.size(), 2u);
  const auto* cal = Find(report, "cal-123|Acme Inc");
  ASSERT_NE(cal, nullptr);
  EXPECT_EQ(cal->name, "Calendar Sync");
  EXPECT_EQ(cal->source, "oauth");
  EXPECT_EQ(cal->location, path.string() + ":4");
  const auto& a = cal->attributes;
  EXPECT_EQ(a.at("publisher"), "Acme Inc");
  EXPECT_EQ(a.at("scopes"), "calendar.read mail.read offline_access");
  EXPECT_EQ(a.at("granted_by"), "alice@example.com,bob@example.com");
  EXPECT_EQ(a.at("granted_at"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(a.at("last_used_at"), "2026-11-20T00:00:00Z");
  EXPECT_EQ(a.at("verified_publisher"), "true");
  EXPECT_EQ(a.at("grants"), "2");

  const auto* notes = Find(report, "Sketchy Notes|unknown");
  ASSERT_NE(notes, nullptr);
  EXPECT_EQ(notes->location, path.string() + ":13");
  EXPECT_EQ(notes->attributes.at("verified_publisher"), "false");
  EXPECT_EQ(notes->attributes.at("scopes"), "");
  EXPECT_EQ(notes->attributes.at("last_used_at"), "");
}

TEST(OAuthGrantsTest, TopLevelArrayAndGoogleWorkspaceTokens) {
  ScanReport report;
  ParseOAuthGrants(R"([{"app": "A", "publisher": "P", "granted_by": "u1"}])",
                   "a.json", report);
  ParseOAuthGrants(R"({
  "kind": "admin#directory#tokenList",
  "items": [
    {
      "kind": "admin#directory#token",
      "clientId": "1234.apps.googleusercontent.com",
      "displayText": "Backup Tool",
      "anonymous": false,
      "nativeApp": false,
      "userKey": "103456789",
      "scopes": ["https://www.googleapis.com/auth/drive"]
    },
    {"clientId": "1234.apps.googleusercontent.com", "userKey": "2",
     "scopes": ["openid"]}
  ]
})",
                   "google.json", report);

  ExpectNoIssues(report);
  ASSERT_EQ(report.observations.size(), 2u);
  EXPECT_EQ(report.observations[0].key, "A|P");
  EXPECT_EQ(report.observations[0].location, "a.json:1");
  const auto* backup = Find(report, "1234.apps.googleusercontent.com|");
  ASSERT_NE(backup, nullptr);
  EXPECT_EQ(backup->name, "Backup Tool");
  EXPECT_EQ(backup->location, "google.json:4");
  EXPECT_EQ(backup->attributes.at("granted_by"), "103456789,2");
  EXPECT_EQ(backup->attributes.at("scopes"),
            "https://www.googleapis.com/auth/drive openid");
}

TEST(OAuthGrantsTest, InvalidJsonIsAnIssueAtItsLineAndOtherFilesCount) {
  TestDirectory dir;
  const auto bad =
      dir.Write("a/bad.json", "[\n  {\"app\": \"x\",\n  oops\n]\n");
  dir.Write("b/good.json", kExport);
  dir.Write("notes.txt", "{");
  const ScanReport report = ScanOAuthGrants(dir.root(), nullptr);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, bad.string() + ":3");
  EXPECT_THAT(report.issues[0].message, HasSubstr("invalid JSON"));
  EXPECT_EQ(report.observations.size(), 2u);
  EXPECT_EQ(report.files_scanned, 2);
}

TEST(OAuthGrantsTest, BadGrantsAreIssuesAtTheirLines) {
  ScanReport report;
  ParseOAuthGrants(R"({"grants": [
  {"publisher": "no app"},
  7,
  {"app": "B", "scopes": [1], "granted_at": "soon", "verified_publisher": "yes"},
  {"app": "C"}
]})",
                   "g.json", report);
  ASSERT_EQ(report.issues.size(), 5u);
  EXPECT_EQ(report.issues[0].location, "g.json:2");
  EXPECT_THAT(report.issues[0].message, HasSubstr("without \"app\""));
  EXPECT_EQ(report.issues[1].location, "g.json:3");
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(report.issues[i].location, "g.json:4");
  }
  ASSERT_EQ(report.observations.size(), 2u);
  EXPECT_EQ(report.observations[1].location, "g.json:5");
}

// Found by discovery_oauth_grants_fuzzer: an array entry holding a space
// made the space-separated scopes attribute unsorted and ambiguous.
TEST(OAuthGrantsTest, ScopeEntriesWithSpacesAreSeveralScopes) {
  ScanReport report;
  ParseOAuthGrants(R"([{"app": "A", "scopes": ["z a", "b", " ", "a"]}])",
                   "s.json", report);
  ExpectNoIssues(report);
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].attributes.at("scopes"), "a b z");
}

TEST(OAuthGrantsTest, WrongTopLevelShapeIsAnIssue) {
  ScanReport report;
  ParseOAuthGrants(R"({"apps": []})", "x.json", report);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, "x.json:1");
}

TEST(OAuthGrantsTest, NestingBeyondTheLimitIsInvalid) {
  ScanReport report;
  ParseOAuthGrants(std::string(100, '[') + std::string(100, ']'), "deep.json",
                   report);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_THAT(report.issues[0].message, HasSubstr("invalid JSON"));
}

}  // namespace
}  // namespace warden::discovery
