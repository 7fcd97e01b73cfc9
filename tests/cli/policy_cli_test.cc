// `warden policy`: decision cases and validation offline (the commands
// teams run in CI), and push/show/history against a real `warden serve`.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

constexpr int kExitConflict = 3;
constexpr int kExitInvalidInput = 5;

std::string Examples() {
  return std::string(std::getenv("WARDEN_SOURCE_DIR")) + "/examples/policies/";
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(PolicyCliTest, TheExampleCasesPass) {
  for (const char* file : {"todo.cases.json", "workloads.cases.json"}) {
    CommandResult r = RunWarden({"policy", "test", Examples() + file});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
  }
  CommandResult interop =
      RunWarden({"policy", "test", "-o", "json",
                 std::string(std::getenv("WARDEN_SOURCE_DIR")) +
                     "/tests/e2e/authzen/todo-decisions.json"});
  ASSERT_EQ(interop.exit_code, 0) << interop.out << interop.err;
  boost::json::value report = boost::json::parse(interop.out);
  EXPECT_EQ(report.at("passed").to_number<int64_t>(), 43);
  EXPECT_EQ(report.at("failed").to_number<int64_t>(), 0);
}

TEST(PolicyCliTest, AFailingCaseFailsTheRunAndSaysWhy) {
  TempDir dir;
  Write(dir.path() + "/cases.json", R"({
    "policy": ")" + Examples() + R"(todo.policy.json",
    "evaluation": [{"name": "viewers create", "expected": true,
      "request": {"subject": {"type": "user",
        "id": "CiRmZDM2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs"},
        "action": {"name": "can_create_todo"},
        "resource": {"type": "todo", "id": "t"}}}]})");
  CommandResult r = RunWarden({"policy", "test", dir.path() + "/cases.json"});
  EXPECT_EQ(r.exit_code, kExitConflict) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL viewers create: expected true, got false "
                       "(no-permit)"),
            std::string::npos)
      << r.out;
}

TEST(PolicyCliTest, ValidateNamesThePathOfAnError) {
  TempDir dir;
  Write(dir.path() + "/bad.json",
        R"({"rules": [{"effect": "permit", "when": {"and": [{"==": [1]}]}}]})");
  CommandResult bad =
      RunWarden({"policy", "validate", dir.path() + "/bad.json"});
  EXPECT_EQ(bad.exit_code, kExitInvalidInput);
  EXPECT_NE(bad.err.find("rules[0].when.and[0].==: takes 2 argument(s)"),
            std::string::npos)
      << bad.err;
  CommandResult good =
      RunWarden({"policy", "validate", Examples() + "todo.policy.json"});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("4 roles, 2 rules, 5 actions"), std::string::npos)
      << good.out;
}

TEST(PolicyCliTest, PushShowAndHistoryAgainstAServer) {
  TempDir dir;
  std::string error;
  auto server = ServerProcess::Start(dir.path() + "/data", &error);
  ASSERT_NE(server, nullptr) << error;
  auto warden = [&](std::vector<std::string> args) {
    args.insert(args.begin(),
                {"--server", server->url(), "--token", server->admin_token()});
    return RunWarden(args);
  };
  CommandResult pushed =
      warden({"policy", "push", "--env", "staging", "--reason", "CHG-1", "-o",
              "json", Examples() + "todo.policy.json"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.out << pushed.err;
  EXPECT_EQ(boost::json::parse(pushed.out).at("state"), "active");
  CommandResult shown =
      warden({"policy", "show", "--env", "staging", "-o", "json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(boost::json::parse(shown.out).at("version"), 1);
  CommandResult history = warden({"policy", "history", "--env", "staging"});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("active"), std::string::npos) << history.out;
  CommandResult none = warden({"policy", "show", "--env", "development"});
  EXPECT_EQ(none.exit_code, 2) << none.out;  // not found
  EXPECT_EQ(server->Stop(), 0) << server->Output();
}

}  // namespace
}  // namespace warden::testing_cli
