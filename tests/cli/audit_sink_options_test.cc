// `warden serve --audit-sink` and `--audit-sink-secret-file`: repeatable,
// parsed when the command line is read, mistakes named.
#include "cli/audit_sink_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace warden::cli {
namespace {

// Parses `args` after a program name; returns CLI11's error, or "".
std::string Parse(const std::vector<std::string>& args,
                  const std::shared_ptr<server::ServerOptions>& options) {
  CLI::App app("serve");
  AddAuditSinkOptions(app, options);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

TEST(AuditSinkOptionsTest, RepeatableAndParsed) {
  auto options = std::make_shared<server::ServerOptions>();
  EXPECT_EQ(Parse({"--audit-sink", "a=file:///var/log/a.jsonl", "--audit-sink",
                   "b=syslog+udp://127.0.0.1:514", "--audit-sink",
                   "c=https://siem.example/in", "--audit-sink-secret-file",
                   "c=/etc/warden/c.key"},
                  options),
            "");
  ASSERT_EQ(options->audit_sinks.size(), 3u);
  EXPECT_EQ(options->audit_sinks[0].path, "/var/log/a.jsonl");
  EXPECT_EQ(options->audit_sinks[1].kind, AuditSinkKind::kSyslogUdp);
  EXPECT_EQ(options->audit_sinks[2].url, "https://siem.example/in");
  EXPECT_EQ(options->audit_sink_secret_files.at("c"), "/etc/warden/c.key");
}

TEST(AuditSinkOptionsTest, MistakesNameTheOptionAndTheProblem) {
  auto options = std::make_shared<server::ServerOptions>();
  const std::string typo =
      Parse({"--audit-sink", "a=file:///x.jsonl?max_byte=1M"}, options);
  EXPECT_NE(typo.find("--audit-sink"), std::string::npos) << typo;
  EXPECT_NE(typo.find("unknown parameter 'max_byte'"), std::string::npos)
      << typo;
  const std::string secret =
      Parse({"--audit-sink-secret-file", "just-a-path"}, options);
  EXPECT_NE(secret.find("--audit-sink-secret-file"), std::string::npos)
      << secret;
  EXPECT_NE(secret.find("NAME=VALUE"), std::string::npos) << secret;
}

}  // namespace
}  // namespace warden::cli
