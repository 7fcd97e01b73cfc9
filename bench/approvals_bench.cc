// The approval inbox at scale, against a baseline measured in the same run.
//
// One SQLite store holds APPROVALS_BENCH_ROWS approval requests (default
// 100,000: 10 per release for 10,000 releases) across 100,000 tenants and
// 200 account managers, mixed kinds and states (1 in 5 pending), as the
// engine stores them. Each benchmark times single calls and reports p50
// and p99 in microseconds:
//   BM_PointLookup      baseline: one approval by id (a primary-key read).
//   BM_InboxSecurity    "what waits for me" of a security user:
//                       ApprovalEngine::List(mine=true, state=pending).
//   BM_InboxAccountManager  the same for one account manager, whose
//                       requests name it among 200.
//   BM_TenantLookup     every approval of one tenant (tenant filter).
//   BM_ReleaseTenantLookup  the approvals of one release for one tenant.
// The engine's reads are audited: each List appends one audit record in a
// write unit of its own (a durable commit), as over HTTP, so those figures
// include that write. The *QueryOnly variants time the same store reads
// alone. Read the ratios to BM_PointLookup.
//
// Files go to $WARDEN_BENCH_DIR (default /tmp); the store is built once per
// process (a minute or so) and removed at exit.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "approvals/approval_engine.h"
#include "call_timing.h"
#include "core/clock.h"
#include "core/id.h"
#include "service/auditor.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

constexpr int kReleases = 10000;
constexpr int kTenants = 100000;
constexpr int kAccountManagers = 200;
constexpr int kRowsPerWrite = 2000;

int RowCount() {
  const char* rows = std::getenv("APPROVALS_BENCH_ROWS");
  return rows != nullptr ? std::max(1000, std::atoi(rows)) : 100000;
}

std::string AccountManager(int i) { return "am-" + std::to_string(i); }
std::string Tenant(int i) { return "tenant-" + std::to_string(i); }
std::string Release(int i) { return "release-" + std::to_string(i); }

// Row i of the data set: deterministic, so every run measures the same.
ApprovalRecord Row(int i, Timestamp now) {
  ApprovalRecord a;
  a.id = NewId(now - std::chrono::seconds(RowCount() - i));
  const int release = i % kReleases;
  a.release_id = Release(release);
  a.requester = a.requester_user = "dev-" + std::to_string(i % 500);
  a.reason = "bench";
  a.created_at = now - std::chrono::hours(1);
  a.expires_at = now + std::chrono::hours(24 * 7);
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
      a.kind = "stage_advance";
      a.stage = 2;
      a.approver_role = "security";
      break;
    case 3:
      a.kind = "identity_change";
      a.identity_id = "identity-" + std::to_string(i);
      a.ticket = "CHG-" + std::to_string(i);
      a.approver_role = "security";
      break;
    case 4:
      a.kind = "exception";
      a.identity_id = "identity-" + std::to_string(i);
      a.approver_role = "security";
      break;
    default:  // half of all requests: one tenant's activation
      a.kind = "tenant_activation";
      a.tenant_key = Tenant((i * 7919) % kTenants);
      a.approver_role = "account_manager";
      a.approver = AccountManager((i / 10) % kAccountManagers);
  }
  static constexpr const char* kDecided[] = {"approved", "declined", "approved",
                                             "expired"};
  if (i % 5 == 0) {
    a.state = "pending";
  } else {
    a.state = kDecided[i % 4];
    if (a.state != "expired") {
      a.decided_by = "sec";
      a.decided_at = a.created_at;
    }
  }
  a.subject_json = R"({"note":"bench"})";
  return a;
}

struct Fixture {
  std::string dir;
  ManualClock clock{FromMicros(1'800'000'000'000'000)};
  std::unique_ptr<Store> store;
  std::unique_ptr<Auditor> auditor;
  std::unique_ptr<approvals::ApprovalEngine> engine;
  std::string some_id;
  std::string busy_tenant;

  ~Fixture() {
    engine.reset();
    auditor.reset();
    if (store) store->Close();
    store.reset();
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }
};

Fixture* Load() {
  static Fixture* fixture = [] {
    auto f = std::make_unique<Fixture>();
    const char* base = std::getenv("WARDEN_BENCH_DIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
        "/warden_approvals_bench_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr)
      return static_cast<Fixture*>(nullptr);
    f->dir = pattern;
    SqliteStoreOptions options;
    options.path = f->dir + "/warden.db";
    Result<std::unique_ptr<Store>> opened = OpenSqliteStore(options);
    if (!opened.ok()) return static_cast<Fixture*>(nullptr);
    f->store = std::move(opened).value();
    f->auditor = std::make_unique<Auditor>(*f->store, f->clock);
    f->engine =
        std::make_unique<approvals::ApprovalEngine>(*f->store, *f->auditor);
    const int rows = RowCount();
    const Timestamp now = f->clock.Now();
    for (int start = 0; start < rows; start += kRowsPerWrite) {
      const Status written = f->store->Write([&](Transaction& tx) -> Status {
        for (int i = start; i < std::min(rows, start + kRowsPerWrite); ++i) {
          const ApprovalRecord row = Row(i, now);
          if (i == rows / 2) f->some_id = row.id;
          WARDEN_RETURN_IF_ERROR(tx.approvals().Insert(row));
        }
        return Status::Ok();
      });
      if (!written.ok()) {
        std::fprintf(stderr, "load: %s\n", written.ToString().c_str());
        return static_cast<Fixture*>(nullptr);
      }
    }
    f->busy_tenant = Row(5, now).tenant_key;
    return f.release();
  }();
  return fixture;
}

Caller User(Role role, std::string name) {
  Caller caller;
  caller.principal.subject = caller.principal.user = std::move(name);
  caller.principal.role = role;
  caller.request_id = "bench";
  return caller;
}

void BM_PointLookup(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  TimeCalls(state, [f] {
    return f->store
        ->Read([f](Transaction& tx) {
          return tx.approvals().Get(f->some_id).status();
        })
        .ok();
  });
}
BENCHMARK(BM_PointLookup)->Iterations(2000)->UseRealTime();

void BM_InboxSecurity(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  const Caller sec = User(Role::kSecurity, "sec-1");
  approvals::ApprovalQuery mine;
  mine.mine = true;
  mine.state = "pending";
  TimeCalls(state, [&] {
    Result<Page<approvals::ApprovalView>> page = f->engine->List(sec, mine, {});
    return page.ok() && page->items.size() == 50;
  });
}
BENCHMARK(BM_InboxSecurity)->Iterations(1000)->UseRealTime();

void BM_InboxAccountManager(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  const Caller am = User(Role::kAccountManager, AccountManager(5));
  approvals::ApprovalQuery mine;
  mine.mine = true;
  mine.state = "pending";
  size_t found = 0;
  TimeCalls(state, [&] {
    Result<Page<approvals::ApprovalView>> page = f->engine->List(am, mine, {});
    found = page.ok() ? page->items.size() : 0;
    return page.ok();
  });
  state.counters["items"] = static_cast<double>(found);
}
BENCHMARK(BM_InboxAccountManager)->Iterations(1000)->UseRealTime();

// The inbox's store reads alone (no audit record): the requests naming the
// caller and those any holder of its role decides, one page each, in one
// read snapshot, as ApprovalEngine::List reads them.
void InboxQueryOnly(benchmark::State& state, const std::string& role,
                    const std::string& me) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  ApprovalFilter named;
  named.state = "pending";
  named.approver_role = role;
  named.approver = me;
  ApprovalFilter open = named;
  open.approver.clear();
  open.unassigned = true;
  PageRequest page;
  page.limit = 50;
  size_t found = 0;
  TimeCalls(state, [&] {
    return f->store
        ->Read([&](Transaction& tx) -> Status {
          WARDEN_ASSIGN_OR_RETURN(Page<ApprovalRecord> a,
                                  tx.approvals().List(named, page));
          WARDEN_ASSIGN_OR_RETURN(Page<ApprovalRecord> b,
                                  tx.approvals().List(open, page));
          found = a.items.size() + b.items.size();
          return Status::Ok();
        })
        .ok();
  });
  state.counters["rows"] = static_cast<double>(found);
}

void BM_InboxSecurityQueryOnly(benchmark::State& state) {
  InboxQueryOnly(state, "security", "sec-1");
}
BENCHMARK(BM_InboxSecurityQueryOnly)->Iterations(2000)->UseRealTime();

void BM_InboxAccountManagerQueryOnly(benchmark::State& state) {
  InboxQueryOnly(state, "account_manager", AccountManager(5));
}
BENCHMARK(BM_InboxAccountManagerQueryOnly)->Iterations(2000)->UseRealTime();

void BM_TenantLookupQueryOnly(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  ApprovalFilter filter;
  filter.tenant_key = f->busy_tenant;
  PageRequest page;
  page.limit = 50;
  TimeCalls(state, [&] {
    return f->store
        ->Read([&](Transaction& tx) {
          return tx.approvals().List(filter, page).status();
        })
        .ok();
  });
}
BENCHMARK(BM_TenantLookupQueryOnly)->Iterations(2000)->UseRealTime();

void BM_TenantLookup(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  const Caller am = User(Role::kAccountManager, AccountManager(5));
  approvals::ApprovalQuery by_tenant;
  by_tenant.tenant_key = f->busy_tenant;
  TimeCalls(state, [&] {
    Result<Page<approvals::ApprovalView>> page =
        f->engine->List(am, by_tenant, {});
    return page.ok() && !page->items.empty();
  });
}
BENCHMARK(BM_TenantLookup)->Iterations(1000)->UseRealTime();

void BM_ReleaseTenantLookup(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  const ApprovalRecord row = Row(5, f->clock.Now());
  approvals::ApprovalQuery query;
  query.release_id = row.release_id;
  query.tenant_key = row.tenant_key;
  const Caller am = User(Role::kAccountManager, AccountManager(5));
  TimeCalls(state, [&] {
    Result<Page<approvals::ApprovalView>> page = f->engine->List(am, query, {});
    return page.ok() && page->items.size() == 1;
  });
}
BENCHMARK(BM_ReleaseTenantLookup)->Iterations(1000)->UseRealTime();

}  // namespace
}  // namespace warden

BENCHMARK_MAIN();
