// Posture at scale: findings and maturity over POSTURE_BENCH_IDENTITIES
// identities (default 100,000; the figure in docs/PERFORMANCE.md is for
// 1,000,000) with usage history, and drift of as many observations.
//
// The store is loaded once: identities of 100 teams (half of them with a
// client secret, every one with two scopes used, a third with a usage
// sighting, one in ten an agent without a sponsor). Each benchmark runs
// once and reports wall seconds and the process's peak RSS:
//   BM_ReadInventory   baseline: every identity, page by page (the
//                      sweep's floor: it cannot read less).
//   BM_FirstSweep      every rule over everything, storing every finding
//                      (the first sweep after an upgrade).
//   BM_SteadySweep     the same with nothing changed (every later sweep).
//   BM_MaturityRead    GET /v1/maturity's service call.
//   BM_DriftRecord     POSTURE_BENCH_IDENTITIES observations recorded in
//                      batches of 1,000, each matched against the inventory.
//   BM_DriftReport     the drift summary and its first page.
// Read the ratios to BM_ReadInventory.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/id.h"
#include "discovery/drift_service.h"
#include "inventory/inventory_service.h"
#include "posture/finding_sweep.h"
#include "posture/maturity_service.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

constexpr int kTeams = 100;
constexpr int kRowsPerWrite = 5000;

int IdentityCount() {
  const char* n = std::getenv("POSTURE_BENCH_IDENTITIES");
  return n != nullptr ? std::max(1000, std::atoi(n)) : 100000;
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

Identity Row(int i, Timestamp now) {
  Identity id;
  id.id = NewId(now - std::chrono::seconds(IdentityCount() - i));
  id.name = "identity-" + std::to_string(i);
  id.kind = i % 10 == 0 ? IdentityKind::kAgent : IdentityKind::kServiceAccount;
  id.owner = "team-" + std::to_string(i % kTeams);
  id.application = "app-" + std::to_string(i % 500);
  id.environment = static_cast<Environment>(i % 3);
  id.auth_method = i % 2 == 0 ? "client_secret" : "private_key_jwt";
  id.scopes = {"orders:read", "orders:write", "refunds:write"};
  id.rotation_days = 90;
  id.expires_at = now + std::chrono::hours(24 * (i % 400));
  id.external_id =
      "k8s:ns-" + std::to_string(i % 50) + "/sa-" + std::to_string(i);
  id.created_at = id.updated_at = now - std::chrono::hours(24 * 200);
  id.last_used_at = now - std::chrono::hours(24 * (i % 120));
  return id;
}

Status LoadRows(Transaction& tx, int first, int last, Timestamp now) {
  for (int i = first; i < last; ++i) {
    const Identity id = Row(i, now);
    WARDEN_RETURN_IF_ERROR(tx.identities().Insert(id));
    WARDEN_RETURN_IF_ERROR(
        tx.oauth().AddScopesUsed(id.id, {"orders:read"}, now));
    if (i % 2 == 0) {
      ClientCredentialRecord c;
      c.identity_id = id.id;
      c.method = "client_secret";
      c.secret_hash = "x";
      c.updated_at = now - std::chrono::hours(24 * (i % 200));
      WARDEN_RETURN_IF_ERROR(tx.oauth().PutClientCredential(c));
    }
    if (i % 3 == 0) {
      UsageSightingRecord s;
      s.identity_id = id.id;
      s.source_network = "10." + std::to_string(i % 200) + ".0.0/24";
      s.user_agent = i % 30 == 0 ? "curl/8.4" : "payments/1.0";
      s.first_seen = s.last_seen = now;
      s.uses = 40;
      s.hours_mask = 0xFFFFFF;
      s.weekdays_mask = 0x7F;
      WARDEN_RETURN_IF_ERROR(tx.usage().AddSightings({s}));
    }
  }
  return Status::Ok();
}

struct Fixture {
  std::string dir;
  std::unique_ptr<Store> store;
  SystemClock clock;
  std::unique_ptr<Auditor> auditor;
  std::unique_ptr<inventory::InventoryService> inventory;
  std::unique_ptr<posture::FindingSweep> sweep;
};

Fixture* Load() {
  static Fixture* fixture = [] {
    auto* f = new Fixture;
    std::string pattern = "/tmp/warden_posture_bench_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) return (Fixture*)nullptr;
    f->dir = pattern;
    SqliteStoreOptions options;
    options.path = f->dir + "/warden.db";
    Result<std::unique_ptr<Store>> opened = OpenSqliteStore(options);
    if (!opened.ok()) return (Fixture*)nullptr;
    f->store = std::move(*opened);
    f->auditor = std::make_unique<Auditor>(*f->store, f->clock);
    f->inventory =
        std::make_unique<inventory::InventoryService>(*f->store, *f->auditor);
    f->sweep = std::make_unique<posture::FindingSweep>(*f->store, *f->auditor,
                                                       *f->inventory);
    const Timestamp now = f->clock.Now();
    Status loaded = f->store->Write([&](Transaction& tx) -> Status {
      for (int t = 0; t < kTeams; ++t) {
        Team team;
        team.name = "team-" + std::to_string(t);
        if (t % 10 != 0) team.members = {"member-" + std::to_string(t)};
        team.created_at = team.updated_at = now;
        WARDEN_RETURN_IF_ERROR(tx.teams().Insert(team));
      }
      return Status::Ok();
    });
    for (int first = 0; loaded.ok() && first < IdentityCount();
         first += kRowsPerWrite) {
      const int last = std::min(IdentityCount(), first + kRowsPerWrite);
      loaded = f->store->Write(
          [&](Transaction& tx) { return LoadRows(tx, first, last, now); });
    }
    if (!loaded.ok()) {
      std::fprintf(stderr, "load: %s\n", loaded.ToString().c_str());
      return (Fixture*)nullptr;
    }
    return f;
  }();
  return fixture;
}

Caller Security() {
  Caller caller;
  caller.principal.subject = "bench";
  caller.principal.role = Role::kSecurity;
  return caller;
}

void Report(benchmark::State& state, double seconds) {
  state.SetIterationTime(seconds);
  state.counters["seconds"] = seconds;
  state.counters["peak_rss_mib"] = PeakRssMiB();
  state.counters["identities"] = IdentityCount();
}

template <typename Fn>
double Seconds(Fn fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

void BM_ReadInventory(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  for (auto _ : state) {
    int64_t read = 0;
    Report(state, Seconds([&] {
             PageRequest page{std::nullopt, 500};
             for (;;) {
               std::optional<Page<Identity>> found;
               (void)f->store->Read([&](Transaction& tx) -> Status {
                 WARDEN_ASSIGN_OR_RETURN(found, tx.identities().List({}, page));
                 return Status::Ok();
               });
               read += static_cast<int64_t>(found->items.size());
               if (!found->next_after_id) break;
               page.after_id = found->next_after_id;
             }
           }));
    state.counters["read"] = static_cast<double>(read);
  }
}
BENCHMARK(BM_ReadInventory)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

void Sweep(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  for (auto _ : state) {
    Result<posture::SweepReport> report = Status::Ok();
    Report(state, Seconds([&] { report = f->sweep->Run(); }));
    if (!report.ok()) return state.SkipWithError("sweep failed");
    state.counters["opened"] = static_cast<double>(report->opened);
    state.counters["justified"] =
        static_cast<double>(report->maturity.justified);
  }
}

void BM_FirstSweep(benchmark::State& state) { Sweep(state); }
BENCHMARK(BM_FirstSweep)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

void BM_SteadySweep(benchmark::State& state) { Sweep(state); }
BENCHMARK(BM_SteadySweep)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

void BM_MaturityRead(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  posture::MaturityService maturity(*f->auditor, *f->sweep);
  for (auto _ : state) {
    Result<posture::MaturityView> view = Status::Ok();
    Report(state,
           Seconds([&] { view = maturity.Get(Security(), {}, 20, 30); }));
    if (!view.ok()) return state.SkipWithError("maturity failed");
    state.counters["justified_share"] = view->justified.share;
  }
}
BENCHMARK(BM_MaturityRead)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

void BM_DriftRecord(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  discovery::DriftService drift(*f->store, *f->auditor);
  for (auto _ : state) {
    Result<ScanRunRecord> scan = drift.StartScan(Security(), "k8s", "bench/");
    if (!scan.ok()) return state.SkipWithError("scan failed");
    bool ok = true;
    Report(state, Seconds([&] {
             std::vector<discovery::Observation> batch;
             // Every identity but one in ten is seen; one in ten seen is
             // unmanaged.
             for (int i = 0; ok && i < IdentityCount(); ++i) {
               if (i % 10 == 5) continue;
               discovery::Observation o;
               o.kind = "k8s_service_account";
               o.source = "k8s";
               o.key = i % 10 == 7 ? "k8s:other/sa-" + std::to_string(i)
                                   : Row(i, f->clock.Now()).external_id;
               o.name = "sa-" + std::to_string(i);
               batch.push_back(std::move(o));
               if (batch.size() == 1000) {
                 ok = drift.Record(Security(), scan->id, "", "", batch).ok();
                 batch.clear();
               }
             }
             if (ok && !batch.empty()) {
               ok = drift.Record(Security(), scan->id, "", "", batch).ok();
             }
             ok = ok && drift.CompleteScan(Security(), scan->id, {}, 0).ok();
           }));
    if (!ok) return state.SkipWithError("record failed");
  }
}
BENCHMARK(BM_DriftRecord)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

void BM_DriftReport(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  discovery::DriftService drift(*f->store, *f->auditor);
  for (auto _ : state) {
    Result<discovery::DriftPage> page = Status::Ok();
    Report(state, Seconds([&] {
             page = drift.Drift(Security(), discovery::DriftKind::kMissing,
                                {std::nullopt, 100});
           }));
    if (!page.ok()) return state.SkipWithError("drift failed");
    state.counters["unmanaged"] = static_cast<double>(page->summary.unmanaged);
    state.counters["missing"] = static_cast<double>(page->summary.missing);
  }
}
BENCHMARK(BM_DriftReport)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace warden

BENCHMARK_MAIN();
