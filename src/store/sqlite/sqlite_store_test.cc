// SQLite-specific behaviour of the store: schema migrations, the fault
// injection seam (fsync failure, disk full), durability across kill -9, and
// the query plans behind IdentityRepository::List.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/id.h"
#include "store/sql/identity_query.h"
#include "store/sqlite/schema.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = FromMicros(1'760'000'000'000'000);

Team MakeTeam(const std::string& name) {
  Team team;
  team.name = name;
  team.created_at = kT0;
  team.updated_at = kT0;
  return team;
}

// Inserts team `name` and its audit record: one unit of work.
UnitOfWork InsertTeamUnit(const std::string& name) {
  return [name](Transaction& tx) {
    WARDEN_RETURN_IF_ERROR(tx.teams().Insert(MakeTeam(name)));
    return tx.audit()
        .Append(
            AuditEvent{kT0, "test", "team.create", "team/" + name, "ok", "{}"})
        .status();
  };
}

class FunctionObserver : public StoreObserver {
 public:
  std::function<void(int units)> on_commit = [](int) {};
  std::atomic<int> reads{0};
  void OnCommit(std::chrono::microseconds, int units) override {
    on_commit(units);
  }
  void OnRead(std::chrono::microseconds) override { ++reads; }
};

class SqliteStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden_sqlite_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/warden.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open(SqliteStoreOptions options = {}) {
    options.path = path_;
    auto store = OpenSqliteStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  static bool HasTeam(Store& store, const std::string& name) {
    return store
        .Read([&](Transaction& tx) { return tx.teams().Get(name).status(); })
        .ok();
  }

  // Runs `sql` on a connection of our own; returns the first column of the
  // rows, joined by '\n'.
  std::string RawQuery(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    std::string out;
    char* error = nullptr;
    int rc = sqlite3_exec(
        db, sql.c_str(),
        [](void* arg, int n, char** values, char**) {
          auto* text = static_cast<std::string*>(arg);
          if (!text->empty()) *text += "\n";
          *text += n > 0 && values[n - 1] != nullptr ? values[n - 1] : "";
          return 0;
        },
        &out, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    return out;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, MigrationsAreIdempotentOnReopen) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Write(InsertTeamUnit("payments")).ok());
  }
  for (int i = 0; i < 2; ++i) {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(HasTeam(*store, "payments"));
  }
  // Versions are reserved per feature area, so numbering may have gaps.
  EXPECT_EQ(RawQuery("SELECT MAX(version) FROM schema_migrations"),
            std::to_string(sqlite::LatestSchemaVersion()));
  EXPECT_EQ(RawQuery("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteStoreTest, RefusesASchemaNewerThanTheBinary) {
  { ASSERT_NE(Open(), nullptr); }
  RawQuery("INSERT INTO schema_migrations VALUES (" +
           std::to_string(sqlite::LatestSchemaVersion() + 1) +
           ", 'from the future', 0)");
  SqliteStoreOptions options;
  options.path = path_;
  auto store = OpenSqliteStore(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().problem(), "schema-too-new");
  EXPECT_NE(store.status().message().find(path_), std::string::npos)
      << store.status().message();
}

TEST_F(SqliteStoreTest, OpenErrorsNameThePath) {
  SqliteStoreOptions options;
  options.path = dir_ + "/no/such/dir/warden.db";
  auto store = OpenSqliteStore(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find(options.path), std::string::npos)
      << store.status().message();
  options.path = "";
  EXPECT_EQ(OpenSqliteStore(options).status().code(),
            StatusCode::kInvalidArgument);

  options.path = dir_ + "/not-a-database";
  FILE* file = std::fopen(options.path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs(std::string(4096, 'x').c_str(), file);
  std::fclose(file);
  store = OpenSqliteStore(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find(options.path), std::string::npos)
      << store.status().message();
}

TEST_F(SqliteStoreTest, FailedFsyncFailsTheWholeBatchAndLeavesNoTrace) {
  FaultInjector faults;
  FunctionObserver observer;
  std::atomic<int> commits{0};
  std::atomic<int> failed_batch_units{0};
  observer.on_commit = [&](int units) {
    // Commit 1 is the blocker's; arm the fault for the batch behind it.
    int n = ++commits;
    if (n == 1) faults.FailNextSync();
    if (n == 2) failed_batch_units = units;
  };
  SqliteStoreOptions options;
  options.faults = &faults;
  options.observer = &observer;
  auto store = Open(options);
  ASSERT_NE(store, nullptr);

  constexpr int kQueued = 5;
  std::atomic<int> started{0};
  std::vector<Status> results(kQueued);
  std::vector<std::thread> threads;
  Status blocker = store->Write([&](Transaction& tx) {
    // While this unit holds the writer, queue kQueued units behind it.
    for (int i = 0; i < kQueued; ++i) {
      threads.emplace_back([&, i] {
        ++started;
        results[i] = store->Write(InsertTeamUnit("lost-" + std::to_string(i)));
      });
    }
    while (started < kQueued) std::this_thread::yield();
    std::this_thread::sleep_for(500ms);  // let them reach the queue
    return InsertTeamUnit("before")(tx);
  });
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(blocker.ok()) << blocker.ToString();
  EXPECT_EQ(faults.injected(), 1);
  // Every unit of the failed batch is kUnavailable, and only those (a unit
  // that missed the queue would commit in a later batch).
  int unavailable = 0;
  for (const Status& status : results) {
    EXPECT_TRUE(status.ok() || status.code() == StatusCode::kUnavailable)
        << status.ToString();
    unavailable += status.code() == StatusCode::kUnavailable;
  }
  EXPECT_EQ(unavailable, failed_batch_units.load());
  EXPECT_GE(unavailable, 2) << "the queued units were not group-committed";
  EXPECT_FALSE(store->Healthy());
  ASSERT_TRUE(store->Write(InsertTeamUnit("after")).ok());
  EXPECT_TRUE(store->Healthy());
  store.reset();

  store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(HasTeam(*store, "before"));
  EXPECT_TRUE(HasTeam(*store, "after"));
  for (int i = 0; i < kQueued; ++i) {
    EXPECT_EQ(HasTeam(*store, "lost-" + std::to_string(i)), results[i].ok())
        << i;
  }
  Status chain = store->Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(auto records, tx.audit().Query({}));
    if (records.size() != 2u + kQueued - unavailable) {
      return Internal("unexpected audit record count");
    }
    for (size_t i = 1; i < records.size(); ++i) {
      if (records[i].prev_hash != records[i - 1].hash) {
        return Internal("broken chain");
      }
    }
    return Status::Ok();
  });
  EXPECT_TRUE(chain.ok()) << chain.ToString();
}

TEST_F(SqliteStoreTest, DiskFullIsUnavailableAndRecoverable) {
  FaultInjector faults;
  SqliteStoreOptions options;
  options.faults = &faults;
  auto store = Open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write(InsertTeamUnit("before")).ok());
  faults.SetDiskFull(true);
  Status full = store->Write(InsertTeamUnit("lost"));
  EXPECT_EQ(full.code(), StatusCode::kUnavailable) << full.ToString();
  EXPECT_GE(faults.injected(), 1);
  faults.SetDiskFull(false);
  ASSERT_TRUE(store->Write(InsertTeamUnit("after")).ok());
  store.reset();

  store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(HasTeam(*store, "before"));
  EXPECT_FALSE(HasTeam(*store, "lost"));
  EXPECT_TRUE(HasTeam(*store, "after"));
}

// Child: writes teams from a few threads, printing each name to `fd` only
// after Write returned OK. Never returns; the parent kills it.
[[noreturn]] void WriteUntilKilled(const std::string& path, int fd) {
  SqliteStoreOptions options;
  options.path = path;
  auto store = OpenSqliteStore(options);
  if (!store.ok()) _exit(2);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        std::string name =
            "durable-" + std::to_string(t) + "-" + std::to_string(i);
        if (!(*store)->Write(InsertTeamUnit(name)).ok()) _exit(3);
        std::string line = name + "\n";  // < PIPE_BUF: written atomically
        if (write(fd, line.data(), line.size()) < 0) _exit(4);
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  _exit(5);
}

TEST_F(SqliteStoreTest, AcknowledgedWritesSurviveKill9) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    WriteUntilKilled(path_, fds[1]);
  }
  close(fds[1]);
  std::string acks;
  char buffer[4096];
  auto count_lines = [&] { return std::count(acks.begin(), acks.end(), '\n'); };
  while (count_lines() < 60) {
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    ASSERT_GT(n, 0) << "child stopped early";
    acks.append(buffer, static_cast<size_t>(n));
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  EXPECT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
  // Acknowledgements written before the kill are still in the pipe.
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) {
    acks.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);

  auto store = Open();
  ASSERT_NE(store, nullptr);
  size_t checked = 0;
  for (size_t start = 0, end;
       (end = acks.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string name = acks.substr(start, end - start);
    EXPECT_TRUE(HasTeam(*store, name)) << "acknowledged but lost: " << name;
    ++checked;
  }
  EXPECT_GE(checked, 60u);
}

TEST_F(SqliteStoreTest, ObserverSeesCommitsAndReads) {
  FunctionObserver observer;
  std::atomic<int> units{0};
  observer.on_commit = [&](int n) { units += n; };
  SqliteStoreOptions options;
  options.observer = &observer;
  auto store = Open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write(InsertTeamUnit("a")).ok());
  ASSERT_TRUE(store->Write(InsertTeamUnit("b")).ok());
  EXPECT_TRUE(HasTeam(*store, "a"));
  EXPECT_EQ(units.load(), 2);
  EXPECT_EQ(observer.reads.load(), 1);
}

// Updates of rows that authentication caches key on are published after
// the commit and before the writer returns; inserts and usage stamps are
// not changes of a cached row.
TEST_F(SqliteStoreTest, ChangeFeedHearsCommittedCredentialRows) {
  ChangeFeed feed;
  std::vector<std::string> heard;
  feed.Subscribe([&](std::span<const std::string> keys) {
    heard.insert(heard.end(), keys.begin(), keys.end());
  });
  SqliteStoreOptions options;
  options.changes = &feed;
  auto store = Open(options);
  ASSERT_NE(store, nullptr);
  User user;
  user.name = "olive";
  user.role = Role::kAuditor;
  ApiToken token;
  token.id = "token-1";
  token.secret_hash = "hash";
  token.role = Role::kAuditor;
  ASSERT_TRUE(store
                  ->Write([&](Transaction& tx) -> Status {
                    WARDEN_RETURN_IF_ERROR(tx.users().Insert(user));
                    return tx.api_tokens().Insert(token);
                  })
                  .ok());
  EXPECT_TRUE(heard.empty());
  const uint64_t before = feed.generation();
  ASSERT_TRUE(store
                  ->Write([&](Transaction& tx) -> Status {
                    WARDEN_RETURN_IF_ERROR(
                        tx.api_tokens().TouchLastUsed("token-1", Timestamp()));
                    user.disabled = true;
                    return tx.users().Update(user);
                  })
                  .ok());
  EXPECT_EQ(heard, std::vector<std::string>{"user/olive"});
  EXPECT_EQ(feed.generation(), before + 1);
  ASSERT_TRUE(store
                  ->Write([&](Transaction& tx) {
                    token.revoked_at = Timestamp();
                    return tx.api_tokens().Update(token);
                  })
                  .ok());
  EXPECT_EQ(heard.back(), "api_token/token-1");
}

// The plan of `query` on the store's schema.
std::string PlanOf(const std::string& path, const sql::SqlQuery& query) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::string sql = "EXPLAIN QUERY PLAN " + query.sql;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  std::string plan;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    plan += "\n";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return plan;
}

TEST_F(SqliteStoreTest, IdentityListFiltersUseIndexesInKeysetOrder) {
  { ASSERT_NE(Open(), nullptr); }
  struct Case {
    std::string index;
    IdentityFilter filter;
  };
  IdentityFilter owner_status;
  owner_status.owner = "payments";
  owner_status.status = IdentityStatus::kActive;
  IdentityFilter env_kind;
  env_kind.environment = Environment::kProduction;
  env_kind.kind = IdentityKind::kApiKey;
  IdentityFilter owner;
  owner.owner = "payments";
  IdentityFilter tenant;
  tenant.tenant = "acme";
  for (const Case& c :
       {Case{"identities_owner_status", owner_status},
        Case{"identities_environment_kind", env_kind},
        Case{"identities_owner", owner}, Case{"identities_tenant", tenant}}) {
    std::string plan = PlanOf(
        path_,
        sql::BuildIdentityListQuery(
            c.filter, PageRequest{"0192f6a4-0000-7000-8000-000000000000", 50}));
    EXPECT_NE(plan.find("USING INDEX " + c.index + " "), std::string::npos)
        << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  }
  std::string unfiltered =
      PlanOf(path_, sql::BuildIdentityListQuery({}, PageRequest{"x", 50}));
  EXPECT_EQ(unfiltered.find("TEMP B-TREE"), std::string::npos) << unfiltered;
  EXPECT_NE(unfiltered.find("INDEX"), std::string::npos) << unfiltered;
}

}  // namespace
}  // namespace warden
