// SnapshotSqliteDatabase (sqlite_snapshot.h) against a store that keeps
// committing on another thread: every copy is one transaction-consistent
// state (each unit writes a team and its audit record together, so the
// two counts agree), passes SQLite's integrity check, and opens as a store.
#include "store/sqlite/sqlite_snapshot.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_store.h"

namespace warden::sqlite {
namespace {

namespace fs = std::filesystem;

const Timestamp kT0 = FromMicros(1'760'000'000'000'000);

UnitOfWork InsertTeamUnit(const std::string& name) {
  return [name](Transaction& tx) {
    WARDEN_RETURN_IF_ERROR(tx.teams().Insert(Team{name, {}, kT0, kT0}));
    return tx.audit()
        .Append(
            AuditEvent{kT0, "test", "team.create", "team/" + name, "ok", "{}"})
        .status();
  };
}

std::string Scalar(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

class SqliteSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (fs::temp_directory_path() / "sqlite_snapshot_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto store = OpenSqliteStore(SqliteStoreOptions{.path = Path("warden.db")});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    if (store_) store_->Close();
    fs::remove_all(dir_);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteSnapshotTest, CopiesAreConsistentWhileWritersCommit) {
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(
        store_->Write(InsertTeamUnit("seed-" + std::to_string(i))).ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      if (store_->Write(InsertTeamUnit("live-" + std::to_string(i))).ok()) {
        ++committed;
      }
    }
  });
  for (int copy = 0; copy < 4; ++copy) {
    const std::string path = Path("copy-" + std::to_string(copy) + ".db");
    Result<SqliteSnapshot> snapshot =
        SnapshotSqliteDatabase(Path("warden.db"), path);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    EXPECT_FALSE(fs::exists(path + "-wal"));  // the file alone is the copy
    EXPECT_EQ(snapshot->bytes, static_cast<int64_t>(fs::file_size(path)));
    EXPECT_GT(snapshot->tables, 10);
    EXPECT_EQ(Scalar(path, "PRAGMA integrity_check"), "ok");
    const std::string teams = Scalar(path, "SELECT COUNT(*) FROM teams");
    EXPECT_EQ(teams, Scalar(path, "SELECT COUNT(*) FROM audit_log"));
    EXPECT_GE(std::stoi(teams), 50);
    EXPECT_GE(snapshot->rows, 2 * std::stoll(teams));
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    auto reopened = OpenSqliteStore(SqliteStoreOptions{.path = path});
    ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
    (*reopened)->Close();
  }
  stop = true;
  writer.join();
  EXPECT_GT(committed.load(), 0);
}

TEST_F(SqliteSnapshotTest, MissingSourceAndExistingDestinationAreRefused) {
  auto missing = SnapshotSqliteDatabase(Path("nope.db"), Path("out.db"));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(Path("out.db")));
  std::ofstream(Path("taken.db")) << "keep";
  auto taken = SnapshotSqliteDatabase(Path("warden.db"), Path("taken.db"));
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  std::ifstream in(Path("taken.db"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "keep");
}

}  // namespace
}  // namespace warden::sqlite
