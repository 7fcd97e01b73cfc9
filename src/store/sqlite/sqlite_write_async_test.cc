// Store::WriteAsync on the SQLite store (the group committer's asynchronous
// path): the callback sees only final outcomes (durable, or failed and
// absent), once, in queue order, and Close() never loses one.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/sqlite/fault_injector.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

const Timestamp kT0 = FromMicros(1'760'000'000'000'000);

UnitOfWork InsertTeamUnit(const std::string& name) {
  return [name](Transaction& tx) {
    Team team;
    team.name = name;
    team.created_at = kT0;
    team.updated_at = kT0;
    WARDEN_RETURN_IF_ERROR(tx.teams().Insert(team));
    return tx.audit()
        .Append(
            AuditEvent{kT0, "test", "team.create", "team/" + name, "ok", "{}"})
        .status();
  };
}

class SqliteWriteAsyncTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden_write_async_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/warden.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open(FaultInjector* faults = nullptr) {
    SqliteStoreOptions options;
    options.path = path_;
    options.faults = faults;
    auto store = OpenSqliteStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Counts teams named `name` through a connection of our own: what any
  // other process would see on disk.
  int CountOnDisk(const std::string& name) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM teams WHERE name=?",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    int count = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) count = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return count;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(SqliteWriteAsyncTest, CallbackRunsAfterTheCommitIsOnDisk) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::promise<std::pair<Status, int>> seen;
  store->WriteAsync(InsertTeamUnit("durable"), [&](Status status) {
    // Still on the writer thread: the commit must already be visible to
    // another connection.
    seen.set_value({status, CountOnDisk("durable")});
  });
  auto [status, on_disk] = seen.get_future().get();
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(on_disk, 1);
}

TEST_F(SqliteWriteAsyncTest, TheUnitsOwnErrorIsReturnedAndNothingApplied) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::promise<Status> seen;
  store->WriteAsync(
      [](Transaction& tx) -> Status {
        WARDEN_RETURN_IF_ERROR(InsertTeamUnit("undone")(tx));
        return InvalidArgument("refused by the unit");
      },
      [&](Status status) { seen.set_value(status); });
  Status status = seen.get_future().get();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "refused by the unit");
  EXPECT_EQ(CountOnDisk("undone"), 0);
}

TEST_F(SqliteWriteAsyncTest, FailedFsyncIsUnavailableAndNotApplied) {
  FaultInjector faults;
  auto store = Open(&faults);
  ASSERT_NE(store, nullptr);
  faults.FailNextSync();
  std::promise<Status> seen;
  store->WriteAsync(InsertTeamUnit("lost"),
                    [&](Status status) { seen.set_value(status); });
  Status status = seen.get_future().get();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
  EXPECT_EQ(faults.injected(), 1);
  store.reset();
  EXPECT_EQ(CountOnDisk("lost"), 0);
}

TEST_F(SqliteWriteAsyncTest, OutcomesArriveInQueueOrderAndMatchTheLog) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kUnits = 200;
  std::mutex mu;
  std::vector<int> order;
  std::promise<void> all;
  for (int i = 0; i < kUnits; ++i) {
    store->WriteAsync(InsertTeamUnit("t" + std::to_string(i)),
                      [&, i](Status status) {
                        EXPECT_TRUE(status.ok()) << status.ToString();
                        std::lock_guard lock(mu);
                        order.push_back(i);
                        if (order.size() == kUnits) all.set_value();
                      });
  }
  all.get_future().get();
  for (int i = 0; i < kUnits; ++i) ASSERT_EQ(order[i], i);
  // The audit chain holds the units in the same order.
  Status chain = store->Read([&](Transaction& tx) -> Status {
    AuditFilter all_records;
    all_records.limit = kUnits + 1;
    WARDEN_ASSIGN_OR_RETURN(auto records, tx.audit().Query(all_records));
    if (records.size() != kUnits) return Internal("wrong record count");
    for (int i = 0; i < kUnits; ++i) {
      if (records[i].event.target != "team/t" + std::to_string(i)) {
        return Internal("record " + std::to_string(i) + " out of order");
      }
    }
    return Status::Ok();
  });
  EXPECT_TRUE(chain.ok()) << chain.ToString();
}

TEST_F(SqliteWriteAsyncTest, CloseDecidesEveryQueuedUnitAndRefusesNewOnes) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kUnits = 100;
  std::atomic<int> decided{0};
  std::atomic<int> ok{0};
  for (int i = 0; i < kUnits; ++i) {
    store->WriteAsync(InsertTeamUnit("q" + std::to_string(i)),
                      [&](Status status) {
                        ok += status.ok();
                        ++decided;
                      });
  }
  store->Close();
  EXPECT_EQ(decided.load(), kUnits);
  EXPECT_EQ(ok.load(), kUnits);  // queued before Close: run, not dropped
  std::optional<Status> late;
  store->WriteAsync(InsertTeamUnit("late"),
                    [&](Status status) { late = status; });
  ASSERT_TRUE(late.has_value()) << "refused unit's callback must run at once";
  EXPECT_EQ(late->code(), StatusCode::kUnavailable);
}

TEST_F(SqliteWriteAsyncTest, AThrowingCallbackDoesNotStopTheWriter) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  store->WriteAsync(InsertTeamUnit("a"),
                    [](Status) { throw std::runtime_error("callback bug"); });
  EXPECT_TRUE(store->Write(InsertTeamUnit("b")).ok());
  EXPECT_EQ(CountOnDisk("a"), 1);
}

TEST_F(SqliteWriteAsyncTest, QueueingFromInsideAUnitDoesNotDeadlock) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::promise<Status> inner;
  Status outer = store->Write([&](Transaction& tx) {
    store->WriteAsync(InsertTeamUnit("inner"),
                      [&](Status status) { inner.set_value(status); });
    return InsertTeamUnit("outer")(tx);
  });
  EXPECT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_TRUE(inner.get_future().get().ok());
  EXPECT_EQ(CountOnDisk("inner"), 1);
}

}  // namespace
}  // namespace warden
