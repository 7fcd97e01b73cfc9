#include "discovery/sarif_log.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "discovery/line_location_hash.h"
#include "discovery/secret_scanner.h"

namespace warden::discovery {
namespace {

namespace json = boost::json;

std::string FakeSlackToken() {
  return std::string("xo") + "xb-" + "2048163740-5120936471-" +
         "Qz7Rt2Lp9Wx4Ks8Dn3Vb6Hm1";
}

struct Scanned {
  std::string content;
  ScanReport report;
  json::object sarif;
};

Scanned ScanAndLog() {
  Scanned scanned;
  scanned.content = "import os\n\nSLACK = \"" + FakeSlackToken() + "\"\n";
  auto scanner = SecretScanner::Create({}).value();
  scanner->ScanContent("app dir/settings.py", scanned.content, &scanned.report);
  scanned.report.issues.push_back({"big.bin:0", "skipped: too large"});
  SarifToolInfo tool;
  tool.version = "0.1.0";
  tool.information_uri = "https://warden.invalid/docs/SCANNING.md";
  tool.source_root_uri = "file:///src/repo/";
  scanned.sarif = SecretScanSarif(scanned.report, BuiltinSecretRules(), tool);
  return scanned;
}

TEST(SarifLogTest, HasTheShapeGithubCodeScanningReads) {
  Scanned scanned = ScanAndLog();
  const json::object& log = scanned.sarif;
  EXPECT_EQ(log.at("$schema"), kSarifSchemaUri);
  EXPECT_EQ(log.at("version"), "2.1.0");
  const json::object& run = log.at("runs").as_array().at(0).as_object();
  const json::object& driver = run.at("tool").at("driver").as_object();
  EXPECT_EQ(driver.at("name"), "warden");
  EXPECT_EQ(driver.at("version"), "0.1.0");
  EXPECT_EQ(driver.at("rules").as_array().size(),
            BuiltinSecretRules().rules().size());
  EXPECT_EQ(run.at("originalUriBaseIds").at("%SRCROOT%").at("uri"),
            "file:///src/repo/");

  ASSERT_EQ(run.at("results").as_array().size(), 1u);
  const json::object& result = run.at("results").as_array()[0].as_object();
  EXPECT_EQ(result.at("ruleId"), "slack-bot-token");
  int64_t index = result.at("ruleIndex").as_int64();
  const json::object& rule =
      driver.at("rules").as_array().at(index).as_object();
  EXPECT_EQ(rule.at("id"), "slack-bot-token");
  EXPECT_EQ(rule.at("name"), "SlackBotToken");
  EXPECT_EQ(rule.at("properties").at("security-severity"), "8.0");
  EXPECT_EQ(rule.at("defaultConfiguration").at("level"), "error");
  EXPECT_FALSE(rule.at("help").at("markdown").as_string().empty());
  EXPECT_EQ(result.at("level"), "error");

  const json::object& location =
      result.at("locations").as_array()[0].at("physicalLocation").as_object();
  EXPECT_EQ(location.at("artifactLocation").at("uri"), "app%20dir/settings.py");
  EXPECT_EQ(location.at("artifactLocation").at("uriBaseId"), "%SRCROOT%");
  EXPECT_EQ(location.at("region").at("startLine"), 3);
  EXPECT_EQ(location.at("region").at("startColumn"), 10);
  EXPECT_EQ(std::string(result.at("partialFingerprints")
                            .at("primaryLocationLineHash")
                            .as_string()),
            LineLocationHashes(scanned.content)[2]);

  const json::array& notifications = run.at("invocations")
                                         .as_array()[0]
                                         .at("toolExecutionNotifications")
                                         .as_array();
  ASSERT_EQ(notifications.size(), 1u);
  EXPECT_EQ(notifications[0].at("message").at("text"), "skipped: too large");
}

TEST(SarifLogTest, NeverContainsTheSecret) {
  Scanned scanned = ScanAndLog();
  std::string text = json::serialize(scanned.sarif);
  std::string secret = FakeSlackToken();
  EXPECT_EQ(text.find(secret), std::string::npos);
  // Nor any 8-character piece of it past the preview.
  for (size_t i = 4; i + 8 <= secret.size(); ++i) {
    EXPECT_EQ(text.find(secret.substr(i, 8)), std::string::npos) << i;
  }
}

TEST(SarifLogTest, UnknownRulesAndOtherKindsAreLeftOut) {
  ScanReport report;
  report.observations.push_back(
      {kLeakedSecretKind, "secrets", "k", "no-such-rule", "a:1", {}});
  report.observations.push_back(
      {kCertificateKind, "certs", "k", "github-pat", "a:1", {}});
  json::object log = SecretScanSarif(report, BuiltinSecretRules(), {});
  EXPECT_TRUE(log.at("runs").as_array()[0].at("results").as_array().empty());
  EXPECT_TRUE(log.at("runs")
                  .as_array()[0]
                  .at("originalUriBaseIds")
                  .at("%SRCROOT%")
                  .as_object()
                  .contains("description"));
}

TEST(SarifLogTest, UrisAndRuleNames) {
  EXPECT_EQ(SarifRelativeUri("a b/c#d%.txt"), "a%20b/c%23d%25.txt");
  EXPECT_EQ(SarifRelativeUri("dir\\file"), "dir/file");
  EXPECT_EQ(SarifRelativeUri("r\xc3\xa9sum\xc3\xa9"), "r%C3%A9sum%C3%A9");
  EXPECT_EQ(SarifRuleName("aws-access-token"), "AwsAccessToken");
  EXPECT_EQ(SarifRuleName("github-pat"), "GithubPat");
}

}  // namespace
}  // namespace warden::discovery
