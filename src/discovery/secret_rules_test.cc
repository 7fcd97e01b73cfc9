#include "discovery/secret_rules.h"

#include <gtest/gtest.h>

#include <set>

#include "core/crypto.h"
#include "discovery/secret_scanner.h"

namespace warden::discovery {
namespace {

const SecretScanner& Scanner() {
  static const SecretScanner* const scanner =
      SecretScanner::Create({}).value().release();
  return *scanner;
}

std::vector<Observation> ScanLine(const std::string& line) {
  ScanReport report;
  Scanner().ScanContent("src/app.conf", "# settings\n" + line + "\n", &report);
  return report.observations;
}

bool Reports(const std::vector<Observation>& found, const std::string& rule) {
  for (const Observation& observation : found) {
    if (observation.name == rule) return true;
  }
  return false;
}

TEST(SecretRulesTest, TableCompilesWithAboutTwoHundredRules) {
  Result<std::unique_ptr<SecretRuleSet>> rules =
      SecretRuleSet::Compile(SecretRuleTable());
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_GE(rules.value()->rules().size(), 190u);
}

TEST(SecretRulesTest, RulesAreWellFormed) {
  std::set<std::string> severities = {"9.0", "8.0", "6.0", "3.0"};
  for (const SecretRule& rule : BuiltinSecretRules().rules()) {
    SCOPED_TRACE(rule.id);
    EXPECT_EQ(
        rule.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"),
        std::string::npos);
    EXPECT_FALSE(rule.description.empty());
    EXPECT_NE(rule.help_text.find("revoke"), std::string::npos);
    EXPECT_TRUE(severities.count(rule.security_severity));
    EXPECT_FALSE(rule.ere.empty());
    EXPECT_EQ(rule.regex->NumberOfCapturingGroups(), 1);
    for (const std::string& keyword : rule.keywords) {
      for (char c : keyword) EXPECT_FALSE(c >= 'A' && c <= 'Z') << keyword;
    }
  }
}

TEST(SecretRulesTest, RejectsBadSpecs) {
  std::vector<SecretRuleSpec> two_groups = {{"x",
                                             "x",
                                             SecretRuleShape::kRaw,
                                             "ab",
                                             {},
                                             0,
                                             SecretSeverity::kLow,
                                             "ab",
                                             "(a)(b)",
                                             "ab"}};
  EXPECT_FALSE(SecretRuleSet::Compile(two_groups).ok());
  std::vector<SecretRuleSpec> bad_class = {{"x",
                                            "x",
                                            SecretRuleShape::kToken,
                                            "abc{zz:3}",
                                            {},
                                            0,
                                            SecretSeverity::kLow}};
  EXPECT_FALSE(SecretRuleSet::Compile(bad_class).ok());
  std::vector<SecretRuleSpec> short_keyword = {{"x",
                                                "x",
                                                SecretRuleShape::kToken,
                                                "a_{d:3}",
                                                {},
                                                0,
                                                SecretSeverity::kLow}};
  EXPECT_FALSE(SecretRuleSet::Compile(short_keyword).ok());
  std::vector<SecretRuleSpec> duplicate = {{"x",
                                            "x",
                                            SecretRuleShape::kToken,
                                            "abc{d:3}",
                                            {},
                                            0,
                                            SecretSeverity::kLow},
                                           {"x",
                                            "x",
                                            SecretRuleShape::kToken,
                                            "abd{d:3}",
                                            {},
                                            0,
                                            SecretSeverity::kLow}};
  EXPECT_FALSE(SecretRuleSet::Compile(duplicate).ok());
}

// Every rule finds a fake token generated from its own layout at run time
// (nothing token-shaped is checked in), and reports that exact secret.
TEST(SecretRulesTest, EveryRuleFindsAGeneratedToken) {
  const std::vector<SecretRule>& rules = BuiltinSecretRules().rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    SCOPED_TRACE(rules[i].id);
    std::mt19937_64 rng(1000 + i);
    std::string secret;
    std::string line = SampleSecretLine(rules[i], rng, &secret);
    std::vector<Observation> found = ScanLine(line);
    bool exact = false;
    for (const Observation& observation : found) {
      if (observation.name != rules[i].id) continue;
      exact = secret.empty() ||
              observation.attributes.at("fingerprint") == Sha256Hex(secret);
    }
    EXPECT_TRUE(exact) << "line: " << line;
  }
}

struct Negative {
  std::string rule;
  std::string line;
};

// Lines that look close to a rule's layout but must not be reported.
std::vector<Negative> Negatives() {
  const std::string akia = std::string("AK") + "IA";
  const std::string ghp = std::string("gh") + "p_";
  const std::string xoxb = std::string("xo") + "xb-";
  const std::string begin = std::string("-----BEG") + "IN ";
  return {
      // Too short, too low in entropy, a documentation placeholder.
      {"aws-access-token", "id = " + akia + "ABCDEFGHIJ2345"},
      {"aws-access-token", "id = " + akia + std::string(16, 'A')},
      {"aws-access-token", "id = " + akia + "IOSFODNN7" + "EXAMPLE"},
      // Part of a longer word.
      {"github-pat", "t = x" + ghp + std::string(36, 'a') + "1"},
      {"github-pat", "t = " + ghp + "abc123"},
      {"slack-bot-token", "t = " + xoxb + "123-456-abc"},
      {"private-key",
       begin + "PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----"},
      {"generic-api-key", "api_key = \"abcdefghijklmnop\""},
      {"generic-api-key", "token = os.getenv(\"SERVICE_TOKEN_2\")"},
      {"generic-api-key", "password = \"${DB_PASSWORD_1}\""},
      // Identifiers assigned to identifiers, as in C headers.
      {"generic-api-key", "const int kApiTaggedSize = kApiInt32Size;"},
      {"generic-secret-assignment",
       "\tNL80211_AUTHTYPE_MAX = __NL80211_AUTHTYPE_NUM - 1,"},
      {"generic-secret-assignment",
       "\tFLAG_NO_STORE_PUBKEY = GNUTLS_PKCS11_OBJ_FLAG_PUBKEY,"},
      {"generic-secret-assignment", "** KEYWORDS: sqlite3_version sqlite3_x"},
      {"stripe-access-token", "k = " + std::string("sk_") + "live_abc"},
      {"jwt", "header = eyJhbGciOi.eyJzdWIi.sig"},
      {"url-credentials", "url = \"https://user:${PASS}@example.com\""},
      {"gcp-api-key", "key = " + std::string("AI") + "za" + "0123456789"},
      // A Twilio-shaped key with no mention of Twilio.
      {"twilio-api-key",
       "x = " + std::string("S") + "K0123456789abcdef0123456789abcdef"},
  };
}

TEST(SecretRulesTest, GenericRulesFindQuotedAndWholeLineAssignments) {
  std::string value = std::string("Zr8vQ2mX") + "9kLp4TnW";
  EXPECT_TRUE(
      Reports(ScanLine("  db_password: '" + value + "'"), "generic-api-key"));
  EXPECT_TRUE(Reports(ScanLine("SERVICE_AUTH_TOKEN=" + value),
                      "generic-secret-assignment"));
  EXPECT_TRUE(Reports(ScanLine("export SERVICE_AUTH_TOKEN=" + value + "\r"),
                      "generic-secret-assignment"));
  EXPECT_TRUE(Reports(ScanLine("  api_key: " + value + "  "),
                      "generic-secret-assignment"));
  // Several assignments in one file: each line on its own.
  std::vector<Observation> found =
      ScanLine("a_token=" + value + "\nb = 1\nc_token=" + value + "1");
  EXPECT_EQ(found.size(), 2u);
}

TEST(SecretRulesTest, NegativeFixturesAreNotReported) {
  for (const Negative& negative : Negatives()) {
    SCOPED_TRACE(negative.rule + ": " + negative.line);
    EXPECT_FALSE(Reports(ScanLine(negative.line), negative.rule));
  }
}

TEST(SecretRulesTest, TokenFormatRendersRe2EreAndSamples) {
  Result<TokenFormat> format = TokenFormat::Parse("ab.{=x|y}{h:4-6}");
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(format.value().ToRe2(), "ab\\.(?:x|y)[0-9a-f]{4,6}");
  EXPECT_EQ(format.value().ToEre(), "ab\\.(x|y)[0-9a-f]{4,6}");
  EXPECT_EQ(format.value().LeadingLiterals(),
            (std::vector<std::string>{"ab."}));
  std::mt19937_64 rng(1);
  std::string sample = format.value().Sample(rng);
  EXPECT_TRUE(RE2::FullMatch(sample, format.value().ToRe2())) << sample;
  EXPECT_FALSE(TokenFormat::Parse("{h:}").ok());
  EXPECT_FALSE(TokenFormat::Parse("{h:5-2}").ok());
  EXPECT_FALSE(TokenFormat::Parse("abc{h:3").ok());
  EXPECT_FALSE(TokenFormat::Parse("").ok());
}

}  // namespace
}  // namespace warden::discovery
