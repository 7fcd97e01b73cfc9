// `warden approval` against a real `warden serve` child: an app owner's
// production identity waits in security's inbox, is shown and approved
// with a reason; decisions without a reason are usage errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

constexpr int kExitUsage = 1;
constexpr int kExitConflict = 3;
constexpr int kExitAuth = 4;
constexpr int kExitInvalidInput = 5;

boost::json::value Json(const CommandResult& r) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(r.out, ec);
  EXPECT_FALSE(ec) << "not JSON: " << r.out << r.err;
  return ec ? boost::json::value() : value;
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

class ApprovalCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = ServerProcess::Start(tmp_.path() + "/data", &error);
    ASSERT_NE(server_, nullptr) << error;
  }
  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Output();
    }
  }
  CommandResult WardenAs(const std::string& token,
                         std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->url(), "--token", token});
    return RunWarden(args);
  }
  CommandResult Warden(std::vector<std::string> args) {
    return WardenAs(server_->admin_token(), std::move(args));
  }
  // A user with its own token (four-eyes decisions need one).
  std::string UserToken(const std::string& name, const std::string& role,
                        const std::string& team = {}) {
    std::vector<std::string> add = {"user", "add", name, "--role", role};
    if (!team.empty()) add.insert(add.end(), {"--team", team});
    EXPECT_EQ(Warden(add).exit_code, 0);
    CommandResult token = Warden({"token", "create", "--user", name});
    EXPECT_EQ(token.exit_code, 0) << token.err;
    return FirstLine(token.out);
  }

  TempDir tmp_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ApprovalCliTest, InboxShowApproveDecline) {
  ASSERT_EQ(Warden({"team", "add", "payments"}).exit_code, 0);
  const std::string olive = UserToken("olive", "app_owner", "payments");
  const std::string sam = UserToken("sam", "security");
  const std::vector<std::string> add = {"-o",
                                        "json",
                                        "identity",
                                        "add",
                                        "--name",
                                        "checkout",
                                        "--kind",
                                        "workload",
                                        "--owner",
                                        "payments",
                                        "--application",
                                        "shop",
                                        "--environment",
                                        "production",
                                        "--expires-in",
                                        "30d"};
  CommandResult no_ticket = WardenAs(olive, add);
  EXPECT_EQ(no_ticket.exit_code, kExitInvalidInput) << no_ticket.err;
  std::vector<std::string> with_ticket = add;
  with_ticket.insert(with_ticket.end(), {"--ticket", "CHG-1"});
  CommandResult created = WardenAs(olive, with_ticket);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(Json(created).at("status").as_string(), "pending");
  const std::string id(Json(created).at("approval").at("id").as_string());

  CommandResult inbox = WardenAs(sam, {"approval", "list", "--mine"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.err;
  EXPECT_NE(inbox.out.find(id), std::string::npos) << inbox.out;
  EXPECT_NE(inbox.out.find("identity_change"), std::string::npos);
  CommandResult shown = WardenAs(sam, {"-o", "json", "approval", "show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(Json(shown).at("ticket").as_string(), "CHG-1");

  EXPECT_EQ(WardenAs(sam, {"approval", "approve", id}).exit_code, kExitUsage)
      << "--reason is required";
  EXPECT_EQ(
      WardenAs(olive, {"approval", "approve", id, "--reason", "x"}).exit_code,
      kExitAuth);
  CommandResult approved = WardenAs(
      sam, {"-o", "json", "approval", "approve", id, "--reason", "CHG-1 ok"});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_EQ(Json(approved).at("state").as_string(), "approved");
  CommandResult again =
      WardenAs(sam, {"approval", "decline", id, "--reason", "changed mind"});
  EXPECT_EQ(again.exit_code, kExitConflict) << again.err;

  CommandResult decided =
      WardenAs(sam, {"-o", "json", "approval", "list", "--state", "approved"});
  ASSERT_EQ(decided.exit_code, 0) << decided.err;
  EXPECT_EQ(Json(decided).at("items").as_array().size(), 1u) << decided.out;
}

}  // namespace
}  // namespace warden::testing_cli
