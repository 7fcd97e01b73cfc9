// End-to-end tests of the `warden` binary: a real `warden serve` child on a
// loopback port, driven by real CLI invocations. They pin the scripting
// contract: output formats, error lines and exit codes (cli/exit_codes.h).
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int kExitUsage = 1;
constexpr int kExitNotFound = 2;
constexpr int kExitConflict = 3;
constexpr int kExitAuth = 4;
constexpr int kExitInvalidInput = 5;
constexpr int kExitUnavailable = 6;

boost::json::value Json(const CommandResult& result) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(result.out, ec);
  EXPECT_FALSE(ec) << "not JSON: " << result.out << result.err;
  return value;
}

std::string Field(const boost::json::value& value, const char* key) {
  const auto* member =
      value.is_object() ? value.get_object().if_contains(key) : nullptr;
  return member != nullptr && member->is_string()
             ? std::string(member->get_string())
             : std::string();
}

class CliEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    data_dir_ = tmp_.path() + "/data";
    std::string error;
    server_ = ServerProcess::Start(data_dir_, &error);
    ASSERT_NE(server_, nullptr) << error;
  }

  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Output();
    }
  }

  // `warden --server URL --token TOKEN args...`.
  CommandResult WardenAs(const std::string& token,
                         std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->url(), "--token", token});
    return RunWarden(args);
  }
  CommandResult Warden(std::vector<std::string> args) {
    return WardenAs(server_->admin_token(), std::move(args));
  }

  void AddTeam(const std::string& name) {
    CommandResult r = Warden({"team", "add", name, "--member", "alice"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Registers a low-risk development workload; returns its id.
  std::string AddIdentity(const std::string& name, const std::string& owner) {
    CommandResult r = Warden(
        {"-o", "json", "identity", "add", "--name", name, "--kind", "workload",
         "--owner", owner, "--application", "checkout", "--environment",
         "development", "--expires-in", "30d", "--scope", "orders:read"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Field(Json(r), "id");
  }

  TempDir tmp_;
  std::string data_dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CliEndToEndTest, ServeWritesAdminTokenWithMode0600) {
  struct stat info {};
  ASSERT_EQ(stat((data_dir_ + "/admin.token").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_THAT(server_->admin_token(), StartsWith("wdn_"));
}

TEST_F(CliEndToEndTest, TeamAddListShowAsTableAndJson) {
  AddTeam("payments");
  CommandResult table = Warden({"team", "list"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, StartsWith("NAME"));
  EXPECT_THAT(table.out, HasSubstr("payments"));
  EXPECT_THAT(table.out, HasSubstr("alice"));

  CommandResult json = Warden({"-o", "json", "team", "show", "payments"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(Field(Json(json), "name"), "payments");

  CommandResult dup = Warden({"team", "add", "payments"});
  EXPECT_EQ(dup.exit_code, kExitConflict);
  EXPECT_THAT(dup.err, StartsWith("error: "));
}

TEST_F(CliEndToEndTest, SetPasswordReadsTheNewPasswordFromStdin) {
  ASSERT_EQ(Warden({"user", "add", "ann", "--role", "security"}).exit_code, 0);
  const std::vector<std::string> args = {
      "--server", server_->url(), "--token", server_->admin_token(),
      "user",     "set-password", "ann"};
  CommandResult empty = RunWarden(args);
  EXPECT_NE(empty.exit_code, 0);
  EXPECT_THAT(empty.err, HasSubstr("stdin"));
  CommandResult weak = RunWarden(args, {}, std::chrono::seconds(60), "short\n");
  EXPECT_NE(weak.exit_code, 0);
  EXPECT_THAT(weak.err, HasSubstr("at least 12"));
  CommandResult set =
      RunWarden(args, {}, std::chrono::seconds(60), "a console password\n");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_THAT(set.out, HasSubstr("password of ann set"));
  EXPECT_EQ(set.out.find("a console password"), std::string::npos);
}

TEST_F(CliEndToEndTest, IdentityLifecycle) {
  AddTeam("payments");
  std::string id = AddIdentity("checkout-worker", "payments");
  ASSERT_FALSE(id.empty());

  CommandResult list =
      Warden({"-o", "json", "identity", "list", "--owner", "payments"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(id));
  CommandResult table = Warden({"identity", "list", "--all"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, StartsWith("ID"));
  EXPECT_THAT(table.out, HasSubstr("checkout-worker"));

  CommandResult show = Warden({"identity", "show", id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("checkout-worker"));

  CommandResult suspend = Warden(
      {"-o", "json", "identity", "suspend", id, "--reason", "incident 42"});
  ASSERT_EQ(suspend.exit_code, 0) << suspend.err;
  EXPECT_EQ(Field(Json(suspend), "status"), "suspended");
  CommandResult resume = Warden({"-o", "json", "identity", "resume", id});
  ASSERT_EQ(resume.exit_code, 0) << resume.err;
  EXPECT_EQ(Field(Json(resume), "status"), "active");
  CommandResult revoke = Warden(
      {"-o", "json", "identity", "revoke", id, "--reason", "decommissioned"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_EQ(Field(Json(revoke), "status"), "revoked");

  CommandResult illegal = Warden({"identity", "resume", id});
  EXPECT_EQ(illegal.exit_code, kExitConflict);
  EXPECT_THAT(illegal.err, StartsWith("error: "));
}

TEST_F(CliEndToEndTest, UpdateWithStaleVersionIsAConflict) {
  AddTeam("payments");
  std::string id = AddIdentity("checkout-worker", "payments");
  CommandResult update = Warden({"-o", "json", "identity", "update", id,
                                 "--if-version", "1", "--vendor", "acme"});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_EQ(Field(Json(update), "vendor"), "acme");
  CommandResult stale = Warden(
      {"identity", "update", id, "--if-version", "1", "--vendor", "other"});
  EXPECT_EQ(stale.exit_code, kExitConflict) << stale.err;
}

TEST_F(CliEndToEndTest, ListAllFollowsCursorsAcrossPages) {
  AddTeam("payments");
  for (const char* name : {"a-worker", "b-worker", "c-worker"}) {
    ASSERT_FALSE(AddIdentity(name, "payments").empty());
  }
  CommandResult one_page =
      Warden({"-o", "json", "identity", "list", "--limit", "1"});
  ASSERT_EQ(one_page.exit_code, 0) << one_page.err;
  EXPECT_EQ(Json(one_page).at("items").as_array().size(), 1u);

  CommandResult all = Warden({"-o", "json", "identity", "list", "--limit", "1",
                              "--all", "--expiring-within", "60d"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(Json(all).at("items").as_array().size(), 3u);
  CommandResult none =
      Warden({"-o", "json", "identity", "list", "--expiring-within", "1d"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(Json(none).at("items").as_array().size(), 0u);
}

TEST_F(CliEndToEndTest, TeamInUseCannotBeDeleted) {
  AddTeam("payments");
  AddTeam("empty");
  AddIdentity("checkout-worker", "payments");
  CommandResult in_use = Warden({"team", "delete", "payments"});
  EXPECT_EQ(in_use.exit_code, kExitConflict);
  EXPECT_EQ(Warden({"team", "delete", "empty"}).exit_code, 0);
  EXPECT_EQ(Warden({"team", "show", "empty"}).exit_code, kExitNotFound);
  CommandResult members = Warden(
      {"-o", "json", "team", "set-members", "payments", "--member", "carol"});
  ASSERT_EQ(members.exit_code, 0) << members.err;
  EXPECT_THAT(members.out, HasSubstr("carol"));
  EXPECT_THAT(members.out, Not(HasSubstr("alice")));
}

TEST_F(CliEndToEndTest, ExceptionNeedsASecondPersonToApprove) {
  CommandResult requested =
      Warden({"-o", "json", "exception", "request", "--identity", "legacy-sync",
              "--rule", "expiry_beyond_policy", "--justification",
              "vendor limits", "--expires-in", "30d"});
  ASSERT_EQ(requested.exit_code, 0) << requested.err;
  std::string id = Field(Json(requested), "id");
  CommandResult self = Warden({"exception", "approve", id});
  EXPECT_EQ(self.exit_code, kExitAuth);
  EXPECT_THAT(self.err, HasSubstr("self-approval"));

  // A user-less token decides nothing; a security user's own token does.
  CommandResult userless = Warden({"token", "create", "--role", "security"});
  ASSERT_EQ(userless.exit_code, 0) << userless.err;
  CommandResult refused =
      WardenAs(userless.out.substr(0, userless.out.find('\n')),
               {"exception", "approve", id});
  EXPECT_EQ(refused.exit_code, kExitAuth);
  ASSERT_EQ(Warden({"user", "add", "sam", "--role", "security"}).exit_code, 0);
  CommandResult token = Warden({"token", "create", "--user", "sam"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  std::string security = token.out.substr(0, token.out.find('\n'));
  CommandResult approved =
      WardenAs(security, {"-o", "json", "exception", "approve", id});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_EQ(Field(Json(approved), "state"), "approved");
  CommandResult again = WardenAs(security, {"exception", "reject", id});
  EXPECT_EQ(again.exit_code, kExitConflict);
}

TEST_F(CliEndToEndTest, BadInputIsExitFiveWithTheField) {
  AddTeam("payments");
  CommandResult bad_time = Warden(
      {"identity", "add", "--name", "x", "--kind", "workload", "--owner",
       "payments", "--environment", "development", "--expires-at", "tomorrow"});
  EXPECT_EQ(bad_time.exit_code, kExitInvalidInput);
  EXPECT_THAT(bad_time.err, HasSubstr("--expires-at"));

  CommandResult bad_kind =
      Warden({"identity", "add", "--name", "x", "--kind", "robot", "--owner",
              "payments", "--application", "a", "--environment", "development",
              "--expires-in", "30d"});
  EXPECT_EQ(bad_kind.exit_code, kExitInvalidInput);
  EXPECT_THAT(bad_kind.err, StartsWith("error: "));
  EXPECT_THAT(bad_kind.err, HasSubstr("kind"));
  EXPECT_THAT(bad_kind.err, Not(HasSubstr("terminate")));
}

TEST_F(CliEndToEndTest, UnknownIdIsExitTwo) {
  CommandResult r =
      Warden({"identity", "show", "0190d1a2-0000-7000-8000-000000000000"});
  EXPECT_EQ(r.exit_code, kExitNotFound);
  EXPECT_THAT(r.err, StartsWith("error: not-found: "));
}

TEST_F(CliEndToEndTest, UsageErrorsAreExitOne) {
  EXPECT_EQ(Warden({"identity", "frobnicate"}).exit_code, kExitUsage);
  EXPECT_EQ(Warden({"identity", "suspend", "some-id"}).exit_code, kExitUsage)
      << "--reason is required";
  EXPECT_EQ(RunWarden({}).exit_code, kExitUsage);
}

TEST_F(CliEndToEndTest, TokenFromFlagsEnvironmentOrFile) {
  CommandResult missing =
      RunWarden({"--server", server_->url(), "team", "list"});
  EXPECT_EQ(missing.exit_code, kExitAuth);
  EXPECT_THAT(missing.err, HasSubstr("no API token"));

  CommandResult wrong = WardenAs("wdn_not-a-real-token", {"team", "list"});
  EXPECT_EQ(wrong.exit_code, kExitAuth);

  CommandResult from_env =
      RunWarden({"team", "list"}, {"WARDEN_URL=" + server_->url(),
                                   "WARDEN_TOKEN=" + server_->admin_token()});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;

  // Flags win over the environment.
  CommandResult flag_wins =
      RunWarden({"--token-file", data_dir_ + "/admin.token", "team", "list"},
                {"WARDEN_URL=" + server_->url(), "WARDEN_TOKEN=wdn_wrong"});
  EXPECT_EQ(flag_wins.exit_code, 0) << flag_wins.err;
}

TEST_F(CliEndToEndTest, UnreachableServerIsExitSix) {
  CommandResult r = RunWarden({"--server", "http://127.0.0.1:1", "--token",
                               server_->admin_token(), "team", "list"});
  EXPECT_EQ(r.exit_code, kExitUnavailable);
  EXPECT_THAT(r.err, HasSubstr("127.0.0.1:1"));
}

TEST_F(CliEndToEndTest, AuditorTokenReadsButCannotWrite) {
  CommandResult created = Warden({"token", "create", "--role", "auditor",
                                  "--ttl", "1d", "--description", "ci"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string secret = created.out;
  ASSERT_FALSE(secret.empty());
  ASSERT_EQ(secret.back(), '\n');
  secret.pop_back();
  EXPECT_THAT(secret, StartsWith("wdn_"));
  EXPECT_EQ(secret.find('\n'), std::string::npos) << "secret alone on stdout";
  EXPECT_THAT(created.err, HasSubstr("auditor"));

  EXPECT_EQ(WardenAs(secret, {"team", "list"}).exit_code, 0);
  CommandResult write = WardenAs(secret, {"team", "add", "sneaky"});
  EXPECT_EQ(write.exit_code, kExitAuth);
  EXPECT_THAT(write.err, StartsWith("error: "));

  CommandResult tokens = Warden({"-o", "json", "token", "list"});
  ASSERT_EQ(tokens.exit_code, 0) << tokens.err;
  EXPECT_THAT(tokens.out, HasSubstr("\"auditor\""));
}

TEST_F(CliEndToEndTest, AuditSearchTailAndExport) {
  AddTeam("payments");
  AddTeam("billing");
  CommandResult search =
      Warden({"-o", "json", "audit", "search", "--action", "team.create"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_THAT(search.out, HasSubstr("team/billing"));

  CommandResult tail = Warden({"audit", "tail", "-n", "1"});
  ASSERT_EQ(tail.exit_code, 0) << tail.err;
  EXPECT_THAT(tail.out, StartsWith("SEQ"));

  std::string out = tmp_.path() + "/audit.jsonl";
  CommandResult exported = Warden({"audit", "export", "--out", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::string lines = ReadFile(out);
  EXPECT_GE(std::count(lines.begin(), lines.end(), '\n'), 2);
  EXPECT_THAT(lines, HasSubstr("team/payments"));
}

// A server that accepts connections (the kernel completes the handshake into
// the backlog) but never answers: the CLI must give up at --timeout.
TEST(CliTimeoutTest, SilentServerTimesOutWithExitSix) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
      0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t length = sizeof(address);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  std::string url =
      "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));

  auto start = std::chrono::steady_clock::now();
  CommandResult r = RunWarden(
      {"--server", url, "--token", "wdn_x", "--timeout", "1", "team", "list"});
  auto elapsed = std::chrono::steady_clock::now() - start;
  close(listener);
  EXPECT_EQ(r.exit_code, kExitUnavailable) << r.err;
  EXPECT_THAT(r.err, HasSubstr(url));
  EXPECT_LT(elapsed, std::chrono::seconds(30));
}

}  // namespace
}  // namespace warden::testing_cli
