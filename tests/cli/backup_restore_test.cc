// `warden backup --data-dir DIR OUT` while a real `warden serve` keeps
// writing, and `warden restore IN --data-dir DIR` into a fresh data dir:
// the restored dir verifies offline, holds the same records up to the
// backup's audit head, and serves a secret once its key files are back.
// Bad input (a damaged or foreign file, an occupied data dir, a missing
// file, PostgreSQL) is refused with its exit code and writes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr int kExitNotFound = 2;
constexpr int kExitConflict = 3;
constexpr int kExitInvalidInput = 5;

// Rows of `sql` on the database at `path`, one string per row, columns
// joined by '|'.
std::vector<std::string> Rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    ADD_FAILURE() << "open " << path;
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row += (i ? "|" : "") +
             std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

int64_t HeadFrom(const std::string& out) {
  std::smatch match;
  const std::regex head(R"(head sequence ([0-9]+))");
  return std::regex_search(out, match, head) ? std::stoll(match[1]) : -1;
}

class BackupRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = tmp_.path() + "/data";
    std::string error;
    server_ = ServerProcess::Start(data_dir_, &error);
    ASSERT_NE(server_, nullptr) << error;
    ASSERT_EQ(Warden({"team", "add", "payments"}).exit_code, 0);
    CommandResult identity = Warden(
        {"identity", "add", "--name", "api", "--kind", "workload", "--owner",
         "payments", "--application", "checkout", "--environment",
         "development", "--expires-in", "30d", "--scope", "orders:read"});
    ASSERT_EQ(identity.exit_code, 0) << identity.err;
    std::ofstream(File("value.txt")) << "legacy-password-123\n";
    CommandResult put = Warden({"secret", "put", "db", "--identity", "api",
                                "--value-file", File("value.txt")});
    ASSERT_EQ(put.exit_code, 0) << put.err;
  }
  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Output();
    }
  }

  CommandResult Warden(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->url(), "--token",
                               server_->admin_token()});
    return RunWarden(args);
  }
  std::string File(const std::string& name) { return tmp_.path() + "/" + name; }

  CommandResult Backup(const std::string& out) {
    return RunWarden({"backup", "--data-dir", data_dir_, out});
  }
  CommandResult Restore(const std::string& in, const std::string& dir) {
    return RunWarden({"restore", in, "--data-dir", dir});
  }

  // A new data dir (0700) holding copies of the named files of data_dir_.
  void PutKeysBack(const std::string& dir,
                   const std::vector<std::string>& names) {
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all);
    for (const std::string& name : names) {
      fs::copy_file(data_dir_ + "/" + name, dir + "/" + name,
                    fs::copy_options::overwrite_existing);
    }
  }

  TempDir tmp_;
  std::string data_dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(BackupRestoreTest, OnlineBackupRestoresVerifiesAndServes) {
  // Writes keep landing (and checkpoints keep being signed) during the
  // backup.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      if (Warden({"team", "add", "load-" + std::to_string(i)}).exit_code == 0) {
        ++written;
      }
    }
  });
  while (written.load() < 2)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CommandResult backup = Backup(File("warden.backup"));
  const int during = written.load();
  while (written.load() < during + 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  writer.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_THAT(backup.out,
              HasSubstr("backup written: " + File("warden.backup")));
  EXPECT_THAT(backup.out, HasSubstr("records verified, signed checkpoint at"));
  EXPECT_THAT(backup.out, HasSubstr("not in the backup"));
  EXPECT_THAT(backup.out, HasSubstr("kek"));
  const int64_t head = HeadFrom(backup.out);
  ASSERT_GT(head, 0) << backup.out;
  EXPECT_EQ(fs::status(File("warden.backup")).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  // Without the audit key the chain cannot be verified: refused, nothing
  // written.
  const std::string bare = File("bare");
  CommandResult keyless = Restore(File("warden.backup"), bare);
  EXPECT_EQ(keyless.exit_code, kExitConflict) << keyless.out << keyless.err;
  EXPECT_THAT(keyless.err, HasSubstr("audit.key is missing"));
  EXPECT_FALSE(fs::exists(bare));

  // The key files back (the KEK not yet): restored with a warning.
  const std::string restored = File("restored");
  PutKeysBack(restored, {"audit.key", "audit-checkpoint.key", "ca.key",
                         "ca.crt", "admin.token"});
  CommandResult restore = Restore(File("warden.backup"), restored);
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_THAT(restore.out, HasSubstr("audit chain verified: "));
  EXPECT_EQ(HeadFrom(restore.out), head);
  EXPECT_THAT(restore.err, HasSubstr("no key-encryption key"));
  EXPECT_THAT(restore.err, HasSubstr("kek"));

  CommandResult verify = RunWarden({"audit", "verify", "--data-dir", restored});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out,
              HasSubstr("records checked: " + std::to_string(head)));

  // The same records as the live server, up to the backup's head.
  const std::string audit_sql =
      "SELECT sequence, time_us, actor, action, target, outcome, details, "
      "hash FROM audit_log WHERE sequence <= " +
      std::to_string(head) + " ORDER BY sequence";
  EXPECT_EQ(Rows(restored + "/warden.db", audit_sql),
            Rows(data_dir_ + "/warden.db", audit_sql));
  const std::string identities_sql =
      "SELECT id, name, kind, owner, environment, status, created_at_us FROM "
      "identities ORDER BY id";
  EXPECT_EQ(Rows(restored + "/warden.db", identities_sql),
            Rows(data_dir_ + "/warden.db", identities_sql));
  EXPECT_EQ(Rows(restored + "/warden.db", "SELECT COUNT(*) FROM audit_log"),
            std::vector<std::string>{std::to_string(head)});
  const std::vector<std::string> live_teams =
      Rows(data_dir_ + "/warden.db", "SELECT name FROM teams ORDER BY name");
  const std::vector<std::string> restored_teams =
      Rows(restored + "/warden.db", "SELECT name FROM teams ORDER BY name");
  EXPECT_LT(restored_teams.size(), live_teams.size());
  EXPECT_TRUE(std::includes(live_teams.begin(), live_teams.end(),
                            restored_teams.begin(), restored_teams.end()));

  // With the KEK back, a server on the restored dir opens the secret.
  PutKeysBack(restored, {"kek"});
  ASSERT_EQ(server_->Stop(), 0) << server_->Output();
  server_.reset();
  std::string error;
  server_ = ServerProcess::Start(restored, &error);
  ASSERT_NE(server_, nullptr) << error;
  CommandResult secret = Warden({"secret", "get", "db"});
  ASSERT_EQ(secret.exit_code, 0) << secret.err;
  EXPECT_EQ(secret.out, "legacy-password-123\n");
  CommandResult identities = Warden({"-o", "json", "identity", "list"});
  ASSERT_EQ(identities.exit_code, 0) << identities.err;
  EXPECT_THAT(identities.out, HasSubstr("\"name\":\"api\""));
}

TEST_F(BackupRestoreTest, DamagedBackupIsRefusedAndWritesNothing) {
  ASSERT_EQ(Backup(File("good.backup")).exit_code, 0);
  std::string bytes = ReadFile(File("good.backup"));
  bytes[bytes.size() / 2] ^= 0x20;  // inside the database's pages
  std::ofstream(File("damaged.backup"), std::ios::binary) << bytes;
  const std::string target = File("target");
  PutKeysBack(target, {"audit.key", "audit-checkpoint.key"});
  CommandResult damaged = Restore(File("damaged.backup"), target);
  EXPECT_EQ(damaged.exit_code, kExitInvalidInput) << damaged.err;
  EXPECT_THAT(damaged.err, HasSubstr("warden.db: SHA-256 does not match"));
  EXPECT_THAT(damaged.err, HasSubstr("nothing written"));
  EXPECT_FALSE(fs::exists(target + "/warden.db"));
  EXPECT_FALSE(fs::exists(target + "/audit.checkpoint"));
  EXPECT_EQ(
      std::distance(fs::directory_iterator(target), fs::directory_iterator()),
      2);  // the two key files put there, no staging left behind

  std::ofstream(File("truncated.backup"), std::ios::binary)
      << bytes.substr(0, bytes.size() / 3);
  CommandResult truncated = Restore(File("truncated.backup"), File("fresh"));
  EXPECT_EQ(truncated.exit_code, kExitInvalidInput) << truncated.err;
  EXPECT_THAT(truncated.err, HasSubstr("truncated"));
  EXPECT_FALSE(fs::exists(File("fresh")));

  std::ofstream(File("not-a-backup"), std::ios::binary) << "SQLite format 3";
  CommandResult foreign = Restore(File("not-a-backup"), File("fresh"));
  EXPECT_EQ(foreign.exit_code, kExitInvalidInput) << foreign.err;
  EXPECT_THAT(foreign.err, HasSubstr("not a Warden backup"));
  EXPECT_FALSE(fs::exists(File("fresh")));
}

TEST_F(BackupRestoreTest, RestoreNeverReplacesAnExistingDatabase) {
  ASSERT_EQ(Backup(File("b.backup")).exit_code, 0);
  const auto before = fs::last_write_time(data_dir_ + "/warden.db");
  CommandResult over = Restore(File("b.backup"), data_dir_);
  EXPECT_EQ(over.exit_code, kExitConflict) << over.err;
  EXPECT_THAT(over.err, HasSubstr(data_dir_ + "/warden.db exists"));
  EXPECT_EQ(fs::last_write_time(data_dir_ + "/warden.db"), before);
  for (const auto& entry : fs::directory_iterator(data_dir_)) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".restore-"));
  }
}

TEST_F(BackupRestoreTest, MissingFilesAndPostgresAreRefused) {
  CommandResult missing = Restore(File("nope.backup"), File("fresh"));
  EXPECT_EQ(missing.exit_code, kExitNotFound) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("no backup file at"));
  EXPECT_FALSE(fs::exists(File("fresh")));

  CommandResult no_database =
      RunWarden({"backup", "--data-dir", File("empty"), File("x.backup")});
  EXPECT_EQ(no_database.exit_code, kExitNotFound) << no_database.err;
  EXPECT_FALSE(fs::exists(File("x.backup")));

  std::ofstream(File("taken.backup")) << "keep me";
  CommandResult taken = Backup(File("taken.backup"));
  EXPECT_EQ(taken.exit_code, kExitConflict) << taken.err;
  EXPECT_EQ(ReadFile(File("taken.backup")), "keep me");

  CommandResult postgres =
      RunWarden({"backup", "--data-dir", data_dir_, "--db",
                 "postgresql://warden@127.0.0.1/warden", File("pg.backup")});
  EXPECT_EQ(postgres.exit_code, kExitConflict) << postgres.err;
  EXPECT_THAT(postgres.err, HasSubstr("pg_dump"));
  EXPECT_FALSE(fs::exists(File("pg.backup")));
}

TEST_F(BackupRestoreTest, JsonReportNamesTheHeadAndTheKeysLeftOut) {
  CommandResult backup = RunWarden(
      {"-o", "json", "backup", "--data-dir", data_dir_, File("j.backup")});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_THAT(backup.out, HasSubstr("\"head_sequence\":"));
  EXPECT_THAT(backup.out, HasSubstr("\"key_files_not_included\":["));
  EXPECT_THAT(backup.out, HasSubstr("\"audit.key\""));
  // Key material never in the file.
  const std::string bytes = ReadFile(File("j.backup"));
  const std::string kek = ReadFile(data_dir_ + "/kek");
  const std::string audit_key = ReadFile(data_dir_ + "/audit.key");
  ASSERT_EQ(kek.size(), 32u);
  EXPECT_EQ(bytes.find(kek), std::string::npos);
  EXPECT_EQ(bytes.find(audit_key), std::string::npos);
  EXPECT_EQ(bytes.find("BEGIN PRIVATE KEY"), std::string::npos);
}

}  // namespace
}  // namespace warden::testing_cli
