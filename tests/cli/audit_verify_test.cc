// `warden audit verify --data-dir DIR [--checkpoint FILE]` against a store
// written by a real server, edited behind Warden's back the way an attacker
// with write access to warden.db would (the sqlite3 tool, or the SQLite
// library to recompute hashes): exit 0 when intact, exit 7 naming what was
// done otherwise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/audit_record.h"
#include "store/sqlite/sqlite_store.h"
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
    RunServer({"payments", "billing", "search", "identity"});
  }

  // Starts a server on the data dir, adds `teams`, stops it.
  void RunServer(const std::vector<std::string>& teams,
                 const std::vector<std::string>& extra_args = {}) {
    std::string error;
    auto server = ServerProcess::Start(data_dir_, &error, extra_args);
    ASSERT_NE(server, nullptr) << error;
    for (const std::string& team : teams) {
      CommandResult r = RunWarden({"--server", server->url(), "--token",
                                   server->admin_token(), "team", "add", team});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    ASSERT_EQ(server->Stop(), 0) << server->Output();
  }

  CommandResult Verify(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"audit", "verify", "--data-dir",
                                     data_dir_};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunWarden(args);
  }

  std::string db_path() const { return data_dir_ + "/warden.db"; }
  std::string checkpoint_path() const {
    return data_dir_ + "/audit.checkpoint";
  }

  // Runs one statement with the sqlite3 command-line tool.
  void Sql(const std::string& statement) {
    std::string command = "sqlite3 '" + db_path() + "' \"" + statement + "\"";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  int64_t HeadSequence() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT MAX(sequence) FROM audit_log", -1, &stmt,
                       nullptr);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const int64_t head = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return head;
  }

  // The attacker without the audit key, through the SQLite library: edits
  // record `from`, then recomputes the unkeyed SHA-256 chain over it and
  // every later record (format 1), so all links are consistent again.
  void RewriteUnkeyedFrom(int64_t from) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* read = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT sequence, time_us, actor, action, target, "
                       "outcome, details, hash FROM audit_log ORDER BY "
                       "sequence",
                       -1, &read, nullptr);
    std::vector<AuditRecord> records;
    while (sqlite3_step(read) == SQLITE_ROW) {
      auto text = [&](int column) {
        return std::string(
            reinterpret_cast<const char*>(sqlite3_column_text(read, column)));
      };
      AuditRecord record;
      record.sequence = sqlite3_column_int64(read, 0);
      record.event = {FromMicros(sqlite3_column_int64(read, 1)),
                      text(2),
                      text(3),
                      text(4),
                      text(5),
                      text(6)};
      record.hash = text(7);
      records.push_back(std::move(record));
    }
    sqlite3_finalize(read);
    std::string prev = records.at(from - 2).hash;
    sqlite3_stmt* write = nullptr;
    sqlite3_prepare_v2(db,
                       "UPDATE audit_log SET actor = ?, prev_hash = ?, hash = "
                       "?, format = 1 WHERE sequence = ?",
                       -1, &write, nullptr);
    for (AuditRecord& record : records) {
      if (record.sequence < from) continue;
      if (record.sequence == from) record.event.actor = "mallory";
      record.hash = AuditRecordHash(record.sequence, record.event, prev);
      sqlite3_bind_text(write, 1, record.event.actor.c_str(), -1,
                        SQLITE_TRANSIENT);
      sqlite3_bind_text(write, 2, prev.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(write, 3, record.hash.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(write, 4, record.sequence);
      ASSERT_EQ(sqlite3_step(write), SQLITE_DONE);
      sqlite3_reset(write);
      prev = record.hash;
    }
    sqlite3_finalize(write);
    sqlite3_close(db);
  }

  TempDir tmp_;
  std::string data_dir_;
};

TEST_F(AuditVerifyTest, IntactStoreVerifies) {
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("records checked: "));
  EXPECT_THAT(r.out, HasSubstr("(keyed from sequence 1)"));
  EXPECT_THAT(r.out, HasSubstr("MB/s"));
  EXPECT_THAT(r.out, HasSubstr("checkpoint: sequence " +
                               std::to_string(HeadSequence()) + ", signed "));
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

// Deleting the last records left the shorter chain
// green; the signed checkpoint outside the database catches it.
TEST_F(AuditVerifyTest, DeletedTailIsReportedAsTruncated) {
  const int64_t head = HeadSequence();
  Sql("DELETE FROM audit_log WHERE sequence > " + std::to_string(head - 3));
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("truncated: 3 records missing after sequence " +
                               std::to_string(head - 3)));
  CommandResult json =
      RunWarden({"-o", "json", "audit", "verify", "--data-dir", data_dir_});
  EXPECT_THAT(json.out, HasSubstr("\"missing_records\":3"));
  // The server refuses to start on it rather than sign the shorter log.
  std::string error;
  EXPECT_EQ(ServerProcess::Start(data_dir_, &error), nullptr);
  EXPECT_THAT(error, HasSubstr("truncated: 3 records missing"));
}

// Recomputing the unkeyed SHA-256 chain after an
// edit used to verify green; the keyed chain names the edited record.
TEST_F(AuditVerifyTest, RecomputedUnkeyedChainIsFoundAtTheEdit) {
  RewriteUnkeyedFrom(3);
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("first broken record: sequence 3 (unkeyed "
                               "record after the chain was keyed"));
}

// A checkpoint edited to hide a truncation no longer
// carries a valid signature.
TEST_F(AuditVerifyTest, TamperedCheckpointIsRefused) {
  const int64_t head = HeadSequence();
  Sql("DELETE FROM audit_log WHERE sequence > " + std::to_string(head - 2));
  std::string checkpoint = ReadFile(checkpoint_path());
  const std::string from = "\"sequence\":" + std::to_string(head);
  ASSERT_NE(checkpoint.find(from), std::string::npos) << checkpoint;
  checkpoint.replace(checkpoint.find(from), from.size(),
                     "\"sequence\":" + std::to_string(head - 2));
  std::ofstream(checkpoint_path()) << checkpoint;
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("signature does not verify"));
}

TEST_F(AuditVerifyTest, CheckpointOfAnotherServerIsRefused) {
  TempDir other;
  std::string error;
  auto server = ServerProcess::Start(other.path() + "/data", &error);
  ASSERT_NE(server, nullptr) << error;
  ASSERT_EQ(server->Stop(), 0);
  CommandResult r =
      Verify({"--checkpoint", other.path() + "/data/audit.checkpoint"});
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("signed by key"));
}

TEST_F(AuditVerifyTest, DeletedCheckpointIsNotAPass) {
  std::filesystem::remove(checkpoint_path());
  CommandResult r = Verify();
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("no signed checkpoint"));
}

// `--audit-witness-file` appends every checkpoint as
// a JSON line; the witness copy still proves a truncation after the data
// dir's own checkpoint was rolled back with the database.
TEST_F(AuditVerifyTest, WitnessFileReceivesCheckpointsAndCatchesARollback) {
  const std::string witness = tmp_.path() + "/witness.jsonl";
  const std::string before = ReadFile(checkpoint_path());
  const int64_t head_before = HeadSequence();
  RunServer({"growth", "platform"}, {"--audit-witness-file", witness});
  const std::string lines = ReadFile(witness);
  EXPECT_GE(std::count(lines.begin(), lines.end(), '\n'), 2) << lines;
  EXPECT_THAT(lines, HasSubstr("\"format\":\"warden-audit-checkpoint-v1\""));
  EXPECT_EQ(Verify({"--checkpoint", witness}).exit_code, 0);
  // Roll back both the log and the data dir's checkpoint to the state
  // before that run: consistent with each other, not with the witness.
  Sql("DELETE FROM audit_log WHERE sequence > " + std::to_string(head_before));
  std::ofstream(checkpoint_path()) << before;
  EXPECT_EQ(Verify().exit_code, 0);
  CommandResult r = Verify({"--checkpoint", witness});
  EXPECT_EQ(r.exit_code, kExitAuditChainBroken) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("truncated: "));
}

// A data dir written before the audit key existed
// (format-less audit_log, schema 5, no keys) upgrades in place on the next
// start, and its old SHA-256 links still verify.
TEST(AuditVerifyUpgradeTest, PreExistingChainUpgradesInPlace) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/data";
  std::filesystem::create_directories(dir);
  {
    auto store =
        OpenSqliteStore(SqliteStoreOptions{.path = dir + "/warden.db"});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE(
        (*store)
            ->Write([](Transaction& tx) -> Status {
              for (int i = 0; i < 5; ++i) {
                AuditEvent e{
                    FromMicros(1'700'000'000'000'000 + i), "root", "test.event",
                    "thing/" + std::to_string(i),          "ok",   "{}"};
                WARDEN_RETURN_IF_ERROR(tx.audit().Append(e).status());
              }
              return Status::Ok();
            })
            .ok());
    (*store)->Close();
  }
  const std::string downgrade =
      "sqlite3 '" + dir +
      "/warden.db' \"ALTER TABLE audit_log DROP COLUMN format; DELETE FROM "
      "schema_migrations WHERE version >= 7;\"";
  ASSERT_EQ(std::system(downgrade.c_str()), 0);
  std::string error;
  auto server = ServerProcess::Start(dir, &error);
  ASSERT_NE(server, nullptr) << error;
  CommandResult add = RunWarden({"--server", server->url(), "--token",
                                 server->admin_token(), "team", "add", "ops"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  ASSERT_EQ(server->Stop(), 0);
  CommandResult r = RunWarden({"audit", "verify", "--data-dir", dir});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("(keyed from sequence 6)"));
}

// Without --data-dir the running server verifies (POST /v1/audit/verify):
// exit 0 while intact, 7 naming the record once it is edited under it.
TEST_F(AuditVerifyTest, OnlineVerificationAsksTheServer) {
  std::string error;
  auto server = ServerProcess::Start(data_dir_, &error);
  ASSERT_NE(server, nullptr) << error;
  const std::vector<std::string> online = {"--server", server->url(),
                                           "--token",  server->admin_token(),
                                           "audit",    "verify"};
  CommandResult intact = RunWarden(online);
  EXPECT_EQ(intact.exit_code, 0) << intact.err;
  EXPECT_THAT(intact.out, HasSubstr("(online)"));

  Sql("UPDATE audit_log SET details='{}' WHERE sequence=3");
  CommandResult broken = RunWarden(online);
  EXPECT_EQ(broken.exit_code, kExitAuditChainBroken) << broken.out;
  EXPECT_THAT(broken.err, HasSubstr("first broken record: sequence 3"));
  std::vector<std::string> with_checkpoint = online;
  with_checkpoint.insert(with_checkpoint.end(), {"--checkpoint", "x"});
  EXPECT_NE(RunWarden(with_checkpoint).exit_code, 0);
  EXPECT_EQ(server->Stop(), 0) << server->Output();
}

}  // namespace
}  // namespace warden::testing_cli
