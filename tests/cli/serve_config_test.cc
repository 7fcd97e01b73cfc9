// The serve configuration file: YAML to entries, and entries onto CLI11
// options with the command line and the environment taking precedence.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/serve_config_file.h"

namespace warden::cli {
namespace {

std::vector<ServeConfigEntry> Parse(const std::string& text) {
  Result<std::vector<ServeConfigEntry>> entries = ParseServeConfig(text);
  EXPECT_TRUE(entries.ok()) << entries.status().ToString();
  return entries.ok() ? *entries : std::vector<ServeConfigEntry>{};
}

std::string ParseError(const std::string& text) {
  Result<std::vector<ServeConfigEntry>> entries = ParseServeConfig(text);
  EXPECT_FALSE(entries.ok());
  return entries.ok() ? "" : entries.status().message();
}

TEST(ServeConfigParseTest, NestedMapsJoinKeysAndUnderscoresReadAsDashes) {
  const auto entries = Parse(
      "listen: 0.0.0.0:8443\n"
      "tls:\n"
      "  cert: /etc/tls.crt\n"
      "  client_ca: /etc/ca.pem\n"
      "Max_Connections: 100\n"
      "oidc-scopes: [profile, email]\n");
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].key, "listen");
  EXPECT_EQ(entries[0].values, std::vector<std::string>{"0.0.0.0:8443"});
  EXPECT_EQ(entries[1].key, "tls-cert");
  EXPECT_EQ(entries[1].line, 3);
  EXPECT_EQ(entries[2].key, "tls-client-ca");
  EXPECT_EQ(entries[3].key, "max-connections");
  EXPECT_EQ(entries[4].values, (std::vector<std::string>{"profile", "email"}));
}

TEST(ServeConfigParseTest, AnEmptyFileHasNoEntries) {
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("# only a comment\n").empty());
}

TEST(ServeConfigParseTest, StructuralErrorsNameTheLine) {
  EXPECT_EQ(ParseError("- a\n- b\n"),
            "line 1: the file must be a map of option: value");
  EXPECT_EQ(ParseError("listen: a\nlisten: b\n"),
            "line 2: listen: given twice");
  EXPECT_EQ(ParseError("tls:\n  cert: a\ntls-cert: b\n"),
            "line 3: tls-cert: given twice");
  EXPECT_EQ(ParseError("listen:\n"), "line 1: listen: has no value");
  EXPECT_EQ(ParseError("a:\n  - [x]\n"),
            "line 2: a: list items must be values");
  EXPECT_EQ(ParseError("\"a b\": 1\n"),
            "line 1: key 'a b' is not an option name (letters, digits, '-' "
            "and '_')");
  EXPECT_EQ(
      ParseError("a: {b: {c: {d: {e: 1}}}}\n").rfind("line 1: maps nested", 0),
      0u);
  EXPECT_EQ(ParseError("listen: [a\n").rfind("line ", 0), 0u);
}

class ServeConfigApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_.add_option("--listen", listen_);
    app_.add_option("--max-connections", max_connections_)
        ->check(CLI::Range(16, 1000));
    app_.add_flag("--audit-witness-stdout", witness_stdout_);
    app_.add_option("--scopes", scopes_);
    app_.add_option("--config", config_);
    AddServeEnvironmentNames(app_);
  }
  void TearDown() override { unsetenv("WARDEN_LISTEN"); }

  // Parses `args` as the command line, then applies `yaml`.
  void Run(std::vector<std::string> args, const std::string& yaml) {
    std::vector<const char*> argv = {"serve"};
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    app_.parse(static_cast<int>(argv.size()), argv.data());
    ApplyServeConfig(app_, Parse(yaml), "warden.yaml");
  }

  // The message of the CLI::ValidationError that applying `yaml` throws.
  std::string ApplyError(const std::string& yaml) {
    try {
      Run({}, yaml);
    } catch (const CLI::ValidationError& e) {
      return e.what();
    }
    return "";
  }

  CLI::App app_{"test"};
  std::string listen_ = "default";
  int max_connections_ = 0;
  bool witness_stdout_ = false;
  std::vector<std::string> scopes_;
  std::string config_;
};

TEST_F(ServeConfigApplyTest, TheFileFillsUnsetOptions) {
  Run({},
      "listen: 0.0.0.0:1\nmax-connections: 64\naudit-witness-stdout: "
      "true\nscopes: [a, b]\n");
  EXPECT_EQ(listen_, "0.0.0.0:1");
  EXPECT_EQ(max_connections_, 64);
  EXPECT_TRUE(witness_stdout_);
  EXPECT_EQ(scopes_, (std::vector<std::string>{"a", "b"}));
}

TEST_F(ServeConfigApplyTest, TheCommandLineWinsOverTheFile) {
  Run({"--listen", "127.0.0.1:2"}, "listen: 0.0.0.0:1\n");
  EXPECT_EQ(listen_, "127.0.0.1:2");
}

TEST_F(ServeConfigApplyTest, TheEnvironmentWinsOverTheFile) {
  setenv("WARDEN_LISTEN", "127.0.0.1:3", 1);
  Run({}, "listen: 0.0.0.0:1\n");
  EXPECT_EQ(listen_, "127.0.0.1:3");
}

TEST_F(ServeConfigApplyTest, ErrorsNameTheFileTheLineAndTheKey) {
  EXPECT_EQ(ApplyError("listen: a\nlisen: b\n"),
            "config warden.yaml: line 2: lisen: unknown key (see `warden "
            "serve --help`)");
  EXPECT_EQ(ApplyError("listen: [a, b]\n"),
            "config warden.yaml: line 1: listen: takes one value, not a list");
  const std::string range = ApplyError("max-connections: 5\n");
  EXPECT_EQ(range.rfind("config warden.yaml: line 1: max-connections: ", 0), 0u)
      << range;
  EXPECT_EQ(ApplyError("config: other.yaml\n").find("unknown key"),
            std::string("config warden.yaml: line 1: config: ").size());
}

}  // namespace
}  // namespace warden::cli
