// `warden audit archive` and `warden audit verify-archive` on a data dir
// written by a real server: archive and prune, then `audit verify` (offline
// and online) still proves the remaining chain from the signed anchor, the
// server starts on the pruned store, each archive verifies on its own and
// continues the previous one, and pruning hides no tampering: an edited
// row, a deleted tail and an edited archive are all exit 7.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

using ::testing::HasSubstr;

constexpr int kExitConflict = 3;
constexpr int kExitAuditChainBroken = 7;

class AuditArchiveCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    data_dir_ = tmp_.path() + "/data";
    RunServer({"payments", "billing", "search"});
  }

  // Starts a server on the data dir, adds `teams`, runs `while_up` with its
  // URL and token, stops it.
  void RunServer(const std::vector<std::string>& teams,
                 const std::function<void(ServerProcess&)>& while_up = {}) {
    std::string error;
    auto server = ServerProcess::Start(data_dir_, &error);
    ASSERT_NE(server, nullptr) << error;
    for (const std::string& team : teams) {
      CommandResult r = RunWarden({"--server", server->url(), "--token",
                                   server->admin_token(), "team", "add", team});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    if (while_up) while_up(*server);
    ASSERT_EQ(server->Stop(), 0) << server->Output();
  }

  CommandResult Archive(const std::string& out) {
    return RunWarden({"audit", "archive", "--data-dir", data_dir_,
                      "--older-than", "0", "--out", out});
  }

  CommandResult Verify() {
    return RunWarden({"audit", "verify", "--data-dir", data_dir_});
  }

  CommandResult VerifyArchive(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"audit", "verify-archive"};
    all.insert(all.end(), args.begin(), args.end());
    return RunWarden(all);
  }

  void Sql(const std::string& statement) {
    std::string command =
        "sqlite3 '" + data_dir_ + "/warden.db' \"" + statement + "\"";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  std::string file(const std::string& name) const {
    return tmp_.path() + "/" + name;
  }

  TempDir tmp_;
  std::string data_dir_;
};

TEST_F(AuditArchiveCliTest, ArchivePruneVerifyAndRestart) {
  CommandResult archived = Archive(file("a1.jsonl.gz"));
  ASSERT_EQ(archived.exit_code, 0) << archived.err;
  EXPECT_THAT(archived.out, HasSubstr("archived "));
  EXPECT_THAT(archived.out, HasSubstr("the chain now starts after sequence"));

  CommandResult verified = Verify();
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_THAT(verified.out, HasSubstr("anchor: sequence "));

  // The archive on its own: the public key copy, or the data dir's keys.
  std::filesystem::copy_file(data_dir_ + "/audit-checkpoint.pub",
                             file("checkpoint.pub"));
  CommandResult alone = VerifyArchive(
      {file("a1.jsonl.gz"), "--checkpoint-key", file("checkpoint.pub")});
  EXPECT_EQ(alone.exit_code, 0) << alone.err;
  CommandResult keyed =
      VerifyArchive({file("a1.jsonl.gz"), "--data-dir", data_dir_});
  EXPECT_EQ(keyed.exit_code, 0) << keyed.err;

  // The server starts on the pruned store, verifies it online, writes on.
  RunServer({"identity"}, [](ServerProcess& server) {
    CommandResult online = RunWarden({"--server", server.url(), "--token",
                                      server.admin_token(), "audit", "verify"});
    EXPECT_EQ(online.exit_code, 0) << online.out << online.err;
    EXPECT_THAT(online.out, HasSubstr("anchor: sequence "));
  });
  CommandResult second = Archive(file("a2.jsonl.gz"));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Verify().exit_code, 0);
  CommandResult linked =
      VerifyArchive({file("a2.jsonl.gz"), "--data-dir", data_dir_, "--previous",
                     file("a1.jsonl.gz")});
  EXPECT_EQ(linked.exit_code, 0) << linked.err;
  CommandResult reversed =
      VerifyArchive({file("a1.jsonl.gz"), "--data-dir", data_dir_, "--previous",
                     file("a2.jsonl.gz")});
  EXPECT_EQ(reversed.exit_code, kExitAuditChainBroken);
  EXPECT_THAT(reversed.err, HasSubstr("does not continue"));

  // Nothing older than a day: exit 0, nothing written.
  CommandResult nothing =
      RunWarden({"audit", "archive", "--data-dir", data_dir_, "--older-than",
                 "1", "--out", file("a3.jsonl.gz")});
  EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_THAT(nothing.out, HasSubstr("nothing to archive"));
  EXPECT_FALSE(std::filesystem::exists(file("a3.jsonl.gz")));
  // An existing file is never replaced.
  CommandResult existing = Archive(file("a1.jsonl.gz"));
  EXPECT_NE(existing.exit_code, 0);
}

TEST_F(AuditArchiveCliTest, EditedRowAfterPruningIsFound) {
  ASSERT_EQ(Archive(file("a.gz")).exit_code, 0);
  Sql("UPDATE audit_log SET actor = 'mallory' WHERE sequence = (SELECT "
      "MIN(sequence) FROM audit_log)");
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken);
  EXPECT_THAT(r.err, HasSubstr("first broken record"));
}

TEST_F(AuditArchiveCliTest, DeletedTailAfterPruningIsFound) {
  ASSERT_EQ(Archive(file("a.gz")).exit_code, 0);
  Sql("DELETE FROM audit_log WHERE sequence = (SELECT MAX(sequence) FROM "
      "audit_log)");
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken);
  EXPECT_THAT(r.err, HasSubstr("truncated: 1 records missing"));
}

TEST_F(AuditArchiveCliTest, MovedAnchorIsFound) {
  ASSERT_EQ(Archive(file("a.gz")).exit_code, 0);
  Sql("UPDATE audit_anchor SET sequence = sequence + 1");
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken);
  EXPECT_THAT(r.err, HasSubstr("chain anchor does not verify"));
}

TEST_F(AuditArchiveCliTest, EditedArchiveIsExit7) {
  ASSERT_EQ(Archive(file("a.gz")).exit_code, 0);
  // Flip one byte of the compressed file: gzip's CRC or the records fail.
  std::fstream f(file("a.gz"), std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(0, std::ios::end);
  const std::streamoff size = f.tellg();
  f.seekg(size / 2);
  char c = 0;
  f.get(c);
  f.seekp(size / 2);
  f.put(static_cast<char>(c ^ 0x20));
  f.close();
  CommandResult r = VerifyArchive({file("a.gz"), "--data-dir", data_dir_});
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out;
  EXPECT_THAT(r.err, HasSubstr("audit archive"));
}

TEST_F(AuditArchiveCliTest, VerifyArchiveNeedsAKey) {
  ASSERT_EQ(Archive(file("a.gz")).exit_code, 0);
  CommandResult r = VerifyArchive({file("a.gz")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("--checkpoint-key"));
}

TEST_F(AuditArchiveCliTest, RefusesToArchiveABrokenChain) {
  Sql("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 2");
  CommandResult r = Archive(file("a.gz"));
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out;
  EXPECT_THAT(r.err, HasSubstr("record 2 is broken"));
  EXPECT_FALSE(std::filesystem::exists(file("a.gz")));
}

}  // namespace
}  // namespace warden::testing_cli
