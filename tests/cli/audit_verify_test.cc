// `warden audit verify --data-dir DIR` against a store written by a real
// server: exit 0 when intact; after one audit row is edited behind Warden's
// back with the sqlite3 tool, exit 7 naming exactly that record.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

using ::testing::HasSubstr;

constexpr int kExitNotFound = 2;
constexpr int kExitAuditChainBroken = 7;

class AuditVerifyTest : public ::testing::Test {
 protected:
  // Runs a server on a fresh data dir, makes a few audited changes, stops it.
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    data_dir_ = tmp_.path() + "/data";
    std::string error;
    auto server = ServerProcess::Start(data_dir_, &error);
    ASSERT_NE(server, nullptr) << error;
    for (const char* team : {"payments", "billing", "search", "identity"}) {
      CommandResult r = RunWarden({"--server", server->url(), "--token",
                                   server->admin_token(), "team", "add", team});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    ASSERT_EQ(server->Stop(), 0) << server->Output();
  }

  CommandResult Verify() {
    return RunWarden({"audit", "verify", "--data-dir", data_dir_});
  }

  // Runs one statement with the sqlite3 command-line tool.
  void Sql(const std::string& statement) {
    std::string command =
        "sqlite3 '" + data_dir_ + "/warden.db' \"" + statement + "\"";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  TempDir tmp_;
  std::string data_dir_;
};

TEST_F(AuditVerifyTest, IntactStoreVerifies) {
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("records checked: "));
  EXPECT_THAT(r.out, HasSubstr("MB/s"));
}

TEST_F(AuditVerifyTest, EditedDetailsAreFoundAtTheirSequence) {
  Sql("UPDATE audit_log SET details='{}' WHERE sequence=5");
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("first broken record: sequence 5 ("));
}

TEST_F(AuditVerifyTest, JsonReportNamesTheBrokenSequence) {
  Sql("UPDATE audit_log SET actor='mallory' WHERE sequence=3");
  CommandResult r =
      RunWarden({"-o", "json", "audit", "verify", "--data-dir", data_dir_});
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"first_broken_sequence\":3"));
}

TEST_F(AuditVerifyTest, MissingDatabaseIsNotFoundAndCreatesNothing) {
  std::string empty = tmp_.path() + "/nothing-here";
  CommandResult r = RunWarden({"audit", "verify", "--data-dir", empty});
  EXPECT_EQ(r.exit_code, kExitNotFound);
  EXPECT_THAT(r.err, HasSubstr("no database"));
  EXPECT_FALSE(std::filesystem::exists(empty));
}

}  // namespace
}  // namespace warden::testing_cli
