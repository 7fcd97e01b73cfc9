// Store write throughput, against a baseline measured in the same run.
//
// BM_RawSqliteDurableInsert: what one durable SQLite transaction per row
// costs on this disk (WAL, synchronous=FULL): the ceiling for any design
// that commits each request on its own.
// BM_StoreWriteIdentityWithAudit: Store::Write units of one identity plus
// one audit record from 16 threads, group-committed. Read the ratio of the
// two items/s figures: group commit should beat the baseline even though
// each unit does more work.
//
// Files go to $WARDEN_BENCH_DIR (default /tmp), which should be on the disk
// being measured (not tmpfs, where fsync is free).
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "core/crypto.h"
#include "core/id.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

std::string BenchDir() {
  const char* dir = std::getenv("WARDEN_BENCH_DIR");
  std::string pattern =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
      "/warden_store_bench_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

bool Exec(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

void BM_RawSqliteDurableInsert(benchmark::State& state) {
  std::string dir = BenchDir();
  sqlite3* db = nullptr;
  if (dir.empty() ||
      sqlite3_open((dir + "/raw.db").c_str(), &db) != SQLITE_OK ||
      !Exec(db,
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
            "CREATE TABLE rows (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
            "payload TEXT NOT NULL)")) {
    state.SkipWithError("cannot create the baseline database");
    sqlite3_close(db);
    return;
  }
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO rows VALUES (?, ?, ?)", -1, &insert,
                     nullptr);
  const std::string payload(200, 'x');
  int64_t n = 0;
  for (auto _ : state) {
    std::string id = std::to_string(n++);
    Exec(db, "BEGIN");
    sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, payload.c_str(), -1, SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError("insert");
    sqlite3_reset(insert);
    if (!Exec(db, "COMMIT")) state.SkipWithError("commit");
  }
  state.SetItemsProcessed(state.iterations());
  sqlite3_finalize(insert);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RawSqliteDurableInsert)->MinTime(2)->UseRealTime();

// Shared by the threads of one run: opened by thread 0 before the timing
// loop (whose start is a barrier), closed by it after the loop's end.
struct SharedStore {
  std::string dir;
  std::unique_ptr<Store> store;
  std::atomic<int64_t> next{0};
};

Identity BenchIdentity(int64_t n) {
  Timestamp now = SystemClock().Now();
  Identity identity;
  identity.id = NewId(now);
  identity.name = "svc-" + std::to_string(n);
  identity.owner = "bench";
  identity.application = "checkout";
  identity.auth_method = "oidc";
  identity.scopes = {"orders:read", "orders:write"};
  identity.created_at = now;
  identity.updated_at = now;
  identity.expires_at = now + std::chrono::hours(24);
  return identity;
}

void BM_StoreWriteIdentityWithAudit(benchmark::State& state) {
  static std::unique_ptr<SharedStore> shared;
  if (state.thread_index() == 0) {
    shared = std::make_unique<SharedStore>();
    shared->dir = BenchDir();
    SqliteStoreOptions options;
    options.path = shared->dir + "/warden.db";
    auto store = OpenSqliteStore(options);
    if (store.ok()) shared->store = std::move(store).value();
    Team team;
    team.name = "bench";
    if (shared->store == nullptr ||
        !shared->store
             ->Write([&](Transaction& tx) { return tx.teams().Insert(team); })
             .ok()) {
      state.SkipWithError("cannot open the store");
    }
  }
  for (auto _ : state) {
    Identity identity = BenchIdentity(shared->next++);
    Status status = shared->store->Write([&](Transaction& tx) {
      WARDEN_RETURN_IF_ERROR(tx.identities().Insert(identity));
      AuditEvent event{identity.created_at,       "bench", "identity.create",
                       "identity/" + identity.id, "ok",    "{}"};
      return tx.audit().Append(event).status();
    });
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    shared->store.reset();
    std::filesystem::remove_all(shared->dir);
    shared.reset();
  }
}
BENCHMARK(BM_StoreWriteIdentityWithAudit)
    ->Threads(16)
    ->MinTime(2)
    ->UseRealTime();

}  // namespace
}  // namespace warden

int main(int argc, char** argv) {
  if (!warden::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
