#include "discovery/secret_scanner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>

#include "core/crypto.h"
#include "discovery/observation_json.h"

namespace warden::discovery {
namespace {

namespace fs = std::filesystem;

// Fake tokens are assembled at run time so that no token-shaped string is
// checked in.
std::string FakeGithubToken(int seed = 1) {
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string body;
  for (int i = 0; i < 36; ++i) {
    body.push_back(alphabet[(i * 7 + seed * 13) % alphabet.size()]);
  }
  return std::string("gh") + "p_" + body;
}

std::string FakeAwsKeyId() {
  return std::string("AK") + "IA" + "Q3ZB7TGW5LMNRX2P";
}

std::unique_ptr<SecretScanner> MakeScanner(SecretScanOptions options = {}) {
  Result<std::unique_ptr<SecretScanner>> scanner =
      SecretScanner::Create(options);
  EXPECT_TRUE(scanner.ok());
  return std::move(scanner).value();
}

ScanReport ScanText(std::string_view text, std::string_view path = "a.py") {
  ScanReport report;
  MakeScanner()->ScanContent(path, text, &report);
  return report;
}

class TempTree {
 public:
  TempTree() {
    root_ = fs::temp_directory_path() /
            ("warden-secrets-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter_++));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~TempTree() {
    std::error_code ignored;
    fs::permissions(root_ / "locked.txt", fs::perms::owner_all,
                    fs::perm_options::replace, ignored);
    fs::remove_all(root_, ignored);
  }
  void Write(const std::string& relative, std::string_view content) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }
  std::string root() const { return root_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path root_;
};

TEST(SecretScannerTest, ReportsPlaceAndFactsButNeverTheSecret) {
  std::string token = FakeGithubToken();
  ScanReport report =
      ScanText("x = 1\n  // héllo\n  auth = \"" + token + "\"\n", "src/a.py");
  ASSERT_EQ(report.observations.size(), 1u);
  const Observation& found = report.observations[0];
  EXPECT_EQ(found.kind, kLeakedSecretKind);
  EXPECT_EQ(found.source, "secrets");
  EXPECT_EQ(found.name, "github-pat");
  EXPECT_EQ(found.location, "src/a.py:3");
  EXPECT_EQ(found.key,
            "github-pat|src/a.py|3|" + Sha256Hex(token).substr(0, 16));
  EXPECT_EQ(found.attributes.at("file"), "src/a.py");
  EXPECT_EQ(found.attributes.at("line"), "3");
  EXPECT_EQ(found.attributes.at("column"), "11");
  EXPECT_EQ(found.attributes.at("fingerprint"), Sha256Hex(token));
  EXPECT_EQ(found.attributes.at("preview"), "ghp_****");
  EXPECT_FALSE(found.attributes.at("line_hash").empty());
  std::string serialized = boost::json::serialize(ObservationToJson(found));
  EXPECT_EQ(serialized.find(token), std::string::npos);
  EXPECT_EQ(serialized.find(token.substr(4)), std::string::npos);
}

TEST(SecretScannerTest, ColumnsCountUtf16CodeUnits) {
  std::string token = FakeAwsKeyId();
  // "é" is one code unit, the emoji two.
  ScanReport report = ScanText("é\xF0\x9F\x98\x80 " + token);
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].attributes.at("column"), "5");
}

TEST(SecretScannerTest, PreviewShowsAtMostFourCharacters) {
  EXPECT_EQ(RedactedPreview("abcdefghijklmnop"), "abcd****");
  EXPECT_EQ(RedactedPreview("abcdefgh"), "ab****");
  EXPECT_EQ(RedactedPreview("abc"), "****");
}

TEST(SecretScannerTest, KeywordPrefilterGatesThePattern) {
  std::vector<SecretRuleSpec> specs = {{"six-digits",
                                        "six digits",
                                        SecretRuleShape::kToken,
                                        "{d:6}",
                                        {},
                                        0,
                                        SecretSeverity::kLow,
                                        "zzz"}};
  auto rules = SecretRuleSet::Compile(specs);
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  auto scanner = SecretScanner::Create({}, *rules.value());
  ASSERT_TRUE(scanner.ok());
  ScanReport without;
  scanner.value()->ScanContent("a", "value = 193847\n", &without);
  EXPECT_TRUE(without.observations.empty());
  ScanReport with;
  scanner.value()->ScanContent("a", "ZZZ value = 193847\n", &with);
  EXPECT_EQ(with.observations.size(), 1u);
}

TEST(SecretScannerTest, EntropyMeasuresBitsPerByte) {
  EXPECT_DOUBLE_EQ(ShannonEntropy(""), 0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("aaaa"), 0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abab"), 1);
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_DOUBLE_EQ(ShannonEntropy(all), 8);
}

TEST(SecretScannerTest, LowEntropyTokensAreDropped) {
  ScanReport report =
      ScanText("k = " + std::string("AK") + "IA" + std::string(16, 'B') + "\n");
  EXPECT_TRUE(report.observations.empty());
}

TEST(SecretScannerTest, InlineMarkersAllowALine) {
  std::string token = FakeGithubToken();
  EXPECT_TRUE(
      ScanText("t = \"" + token + "\"  # warden:allow\n").observations.empty());
  EXPECT_TRUE(ScanText("t = \"" + token + "\"  // gitleaks:allow\n")
                  .observations.empty());
  EXPECT_EQ(
      ScanText("# warden:allow\nt = \"" + token + "\"\n").observations.size(),
      1u);
}

TEST(SecretScannerTest, PlaceholderValuesAreAllowed) {
  std::string value = std::string("AK") + "IA" + "IOSFODNN7" + "EXAMPLE";
  EXPECT_TRUE(ScanText("id = " + value + "\n").observations.empty());
  SecretScanOptions options;
  options.allow_values = {FakeGithubToken().substr(6, 8)};
  ScanReport report;
  MakeScanner(options)->ScanContent("a", "t = " + FakeGithubToken(), &report);
  EXPECT_TRUE(report.observations.empty());
}

TEST(SecretScannerTest, BinaryContentIsSkipped) {
  std::string content = "t = " + FakeGithubToken() + "\n";
  content.push_back('\0');
  EXPECT_TRUE(ScanText(content).observations.empty());
}

TEST(SecretScannerTest, FindsSeveralSecretsOnOneLine) {
  std::string line =
      FakeGithubToken(1) + " " + FakeGithubToken(2) + " " + FakeAwsKeyId();
  ScanReport report = ScanText(line);
  EXPECT_EQ(report.observations.size(), 3u);
}

TEST(SecretScannerTest, FindingsPerFileAreCapped) {
  std::string text;
  for (size_t i = 0; i < kMaxSecretFindingsPerFile + 10; ++i) {
    text += "t = " + FakeGithubToken(static_cast<int>(i)) + "\n";
  }
  ScanReport report = ScanText(text, "dump.txt");
  EXPECT_EQ(report.observations.size(), kMaxSecretFindingsPerFile);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, "dump.txt:0");
}

TEST(SecretScannerTest, GenericMatchInsideAProviderMatchIsDropped) {
  ScanReport report = ScanText("api_token = \"" + FakeGithubToken() + "\"\n");
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].name, "github-pat");
  // A generic match elsewhere on the line stays.
  report = ScanText("api_token = \"" + FakeGithubToken() +
                    "\"; password = \"Zr8vQ2mX9kLp4TnW\"\n");
  ASSERT_EQ(report.observations.size(), 2u);
  EXPECT_EQ(report.observations[1].name, "generic-api-key");
}

TEST(SecretScannerTest, PrivateKeyBlockSpansLines) {
  std::string body;
  for (int i = 0; i < 3; ++i) {
    body +=
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"
        "\n";
  }
  std::string key = "-----BEGIN " + std::string("RSA PRIVATE") + " KEY-----\n" +
                    body + "-----END RSA " + "PRIVATE KEY-----";
  ScanReport report = ScanText("x\n" + key + "\n", "id_rsa");
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].name, "private-key");
  EXPECT_EQ(report.observations[0].attributes.at("line"), "2");
  EXPECT_EQ(report.observations[0].attributes.at("fingerprint"),
            Sha256Hex(key));
}

TEST(SecretScannerTest, WalksATreeSkippingAllowlistedPathsAndGit) {
  TempTree tree;
  std::string line = "t = \"" + FakeGithubToken() + "\"\n";
  tree.Write("src/app.py", line);
  tree.Write("src/deep/nested/conf.yaml", "x: 1\n" + line);
  tree.Write(".git/config", line);
  tree.Write("node_modules/pkg/index.js", line);
  tree.Write("vendor/lib/a.go", line);
  tree.Write("Cargo.lock", line);
  tree.Write("logo.png", line);
  tree.Write("bin/tool", std::string("ELF\0", 4) + line);
  std::vector<std::string> progress;
  ScanReport report = ScanSecrets(
      tree.root(), {},
      [&progress](const ScanProgress& p) { progress.push_back(p.current); });
  ASSERT_EQ(report.observations.size(), 2u);
  EXPECT_EQ(report.observations[0].location, "src/app.py:1");
  EXPECT_EQ(report.observations[1].location, "src/deep/nested/conf.yaml:2");
  EXPECT_EQ(report.files_scanned, 3);
  EXPECT_EQ(progress, (std::vector<std::string>{"bin/tool", "src/app.py",
                                                "src/deep/nested/conf.yaml"}));
  EXPECT_TRUE(report.issues.empty());
}

TEST(SecretScannerTest, ExtraPathPatternsAndBadPatterns) {
  TempTree tree;
  tree.Write("fixtures/a.txt", "t = " + FakeGithubToken());
  SecretScanOptions options;
  options.allow_paths = {"^fixtures/"};
  EXPECT_TRUE(ScanSecrets(tree.root(), options, {}).observations.empty());
  options.allow_paths = {"("};
  ScanReport report = ScanSecrets(tree.root(), options, {});
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_NE(report.issues[0].message.find("allowlist"), std::string::npos);
}

TEST(SecretScannerTest, OversizedAndUnreadableFilesBecomeIssues) {
  TempTree tree;
  tree.Write("big.txt", std::string(2048, 'a'));
  tree.Write("locked.txt", "t = " + FakeGithubToken());
  fs::permissions(fs::path(tree.root()) / "locked.txt", fs::perms::none);
  SecretScanOptions options;
  options.max_file_bytes = 1024;
  ScanReport report = ScanSecrets(tree.root(), options, {});
  std::vector<std::string> locations;
  for (const ScanIssue& issue : report.issues) {
    locations.push_back(issue.location);
  }
  if (::geteuid() == 0) {
    // root reads any file: only the size limit applies.
    EXPECT_EQ(locations, (std::vector<std::string>{"big.txt:0"}));
  } else {
    EXPECT_EQ(locations,
              (std::vector<std::string>{"big.txt:0", "locked.txt:0"}));
  }
}

TEST(SecretScannerTest, MissingPathIsAnIssue) {
  ScanReport report = ScanSecrets("/nonexistent/warden-secrets", {}, {});
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, "/nonexistent/warden-secrets:0");
}

TEST(SecretScannerTest, SymlinksAreNotFollowed) {
  TempTree tree;
  tree.Write("real/a.txt", "t = " + FakeGithubToken());
  fs::create_directory_symlink(fs::path(tree.root()) / "real",
                               fs::path(tree.root()) / "link");
  ScanReport report = ScanSecrets(tree.root(), {}, {});
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].location, "real/a.txt:1");
}

TEST(SecretScannerTest, ASingleFileIsReportedUnderItsName) {
  TempTree tree;
  tree.Write("dir/app.env", "GH=" + FakeGithubToken() + "\n");
  ScanReport report = ScanSecrets(tree.root() + "/dir/app.env", {}, {});
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].location, "app.env:1");
}

}  // namespace
}  // namespace warden::discovery
