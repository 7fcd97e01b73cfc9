// Release reverse views at scale, against a baseline measured in the same
// run.
//
// One SQLite store holds RELEASES_BENCH_ROWS releases (default 10,000), each
// shipping 5 of 1,000 flags and using 3 of 5,000 identities and 1 of 50
// integrations, as ReleaseService stores them. Each benchmark times single
// calls and reports p50 and p99 in microseconds:
//   BM_PointLookup        baseline: one release by id (a primary-key read).
//   BM_ReleasesOfFlag     what ships a flag: ReleaseService::List(flag=).
//   BM_ReleasesOfIdentity which releases use an identity.
//   BM_ReleasesOfIntegration  a page of the releases using an integration.
//   BM_GateLoad           LoadReleaseGates for the environment: what every
//                         gate-changing publish reads.
// The service's reads are audited: each List appends one audit record in a
// write unit of its own, as over HTTP. Read the ratio to BM_PointLookup.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "call_timing.h"
#include "core/clock.h"
#include "core/id.h"
#include "exposure/config_feed.h"
#include "releases/release_gates.h"
#include "releases/release_service.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

constexpr int kFlags = 1000;
constexpr int kIdentities = 5000;
constexpr int kIntegrations = 50;
constexpr int kRowsPerWrite = 1000;

int RowCount() {
  const char* rows = std::getenv("RELEASES_BENCH_ROWS");
  return rows != nullptr ? std::max(100, std::atoi(rows)) : 10000;
}

std::string Flag(int i) { return "flag-" + std::to_string(i % kFlags); }
std::string Identity(int i) {
  return "identity-" + std::to_string(i % kIdentities);
}
std::string Integration(int i) {
  return "integration-" + std::to_string(i % kIntegrations);
}

ReleaseRecord Row(int i, Timestamp now) {
  ReleaseRecord r;
  r.id = NewId(now - std::chrono::seconds(RowCount() - i));
  r.service = "service-" + std::to_string(i % 100);
  r.service_version = "1." + std::to_string(i);
  r.owner = "team-" + std::to_string(i % 20);
  r.risk_tier = static_cast<RiskTier>(i % 4);
  for (int k = 0; k < 5; ++k) r.flags.push_back(Flag(i * 5 + k));
  for (int k = 0; k < 3; ++k) r.identities.push_back(Identity(i * 3 + k));
  std::sort(r.flags.begin(), r.flags.end());
  r.flags.erase(std::unique(r.flags.begin(), r.flags.end()), r.flags.end());
  std::sort(r.identities.begin(), r.identities.end());
  r.integrations = {Integration(i)};
  r.notes_json = R"({"changes":["bench"],"safe_for_all":[],)"
                 R"("opt_in_required":[],"customer_notice":""})";
  r.plan_json = R"([{"name":"canary","audience":{"percentage":10}},)"
                R"({"name":"everyone","audience":{"everyone":true}}])";
  r.stage = i % 3;
  r.created_by = "ci";
  r.created_at = r.updated_at = r.stage_entered_at = now;
  return r;
}

struct Fixture {
  std::string dir;
  ManualClock clock{FromMicros(1'800'000'000'000'000)};
  std::unique_ptr<Store> store;
  std::unique_ptr<Auditor> auditor;
  exposure::ConfigFeed feed;
  std::unique_ptr<exposure::ExposurePublisher> publisher;
  std::unique_ptr<approvals::ApprovalEngine> approvals;
  std::unique_ptr<releases::ReleaseService> releases;
  std::string some_id;

  ~Fixture() {
    releases.reset();
    approvals.reset();
    publisher.reset();
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
        "/warden_releases_bench_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      return static_cast<Fixture*>(nullptr);
    }
    f->dir = pattern;
    SqliteStoreOptions options;
    options.path = f->dir + "/warden.db";
    Result<std::unique_ptr<Store>> opened = OpenSqliteStore(options);
    if (!opened.ok()) return static_cast<Fixture*>(nullptr);
    f->store = std::move(opened).value();
    f->auditor = std::make_unique<Auditor>(*f->store, f->clock);
    f->publisher =
        std::make_unique<exposure::ExposurePublisher>(*f->store, f->feed);
    f->approvals =
        std::make_unique<approvals::ApprovalEngine>(*f->store, *f->auditor);
    f->releases = std::make_unique<releases::ReleaseService>(
        *f->store, *f->auditor, *f->publisher, *f->approvals);
    const int rows = RowCount();
    const Timestamp now = f->clock.Now();
    for (int start = 0; start < rows; start += kRowsPerWrite) {
      const Status written = f->store->Write([&](Transaction& tx) -> Status {
        for (int i = start; i < std::min(rows, start + kRowsPerWrite); ++i) {
          ReleaseRecord row = Row(i, now);
          if (i == rows / 2) f->some_id = row.id;
          WARDEN_RETURN_IF_ERROR(tx.releases().Insert(row));
        }
        return Status::Ok();
      });
      if (!written.ok()) {
        std::fprintf(stderr, "load: %s\n", written.ToString().c_str());
        return static_cast<Fixture*>(nullptr);
      }
    }
    return f.release();
  }();
  return fixture;
}

Caller Reader() {
  Caller caller;
  caller.principal.subject = caller.principal.user = "auditor-1";
  caller.principal.role = Role::kAuditor;
  caller.request_id = "bench";
  return caller;
}

void BM_PointLookup(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  TimeCalls(state, [f] {
    return f->store
        ->Read([f](Transaction& tx) {
          return tx.releases().Get(f->some_id).status();
        })
        .ok();
  });
}
BENCHMARK(BM_PointLookup)->Iterations(2000)->UseRealTime();

void ListBy(benchmark::State& state, ReleaseFilter filter) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  const Caller reader = Reader();
  size_t found = 0;
  TimeCalls(state, [&] {
    Result<Page<ReleaseRecord>> page = f->releases->List(reader, filter, {});
    found = page.ok() ? page->items.size() : 0;
    return page.ok() && found > 0;
  });
  state.counters["items"] = static_cast<double>(found);
}

void BM_ReleasesOfFlag(benchmark::State& state) {
  ReleaseFilter filter;
  filter.flag = Flag(421);
  ListBy(state, filter);
}
BENCHMARK(BM_ReleasesOfFlag)->Iterations(500)->UseRealTime();

void BM_ReleasesOfIdentity(benchmark::State& state) {
  ReleaseFilter filter;
  filter.identity_id = Identity(1234);
  ListBy(state, filter);
}
BENCHMARK(BM_ReleasesOfIdentity)->Iterations(500)->UseRealTime();

void BM_ReleasesOfIntegration(benchmark::State& state) {
  ReleaseFilter filter;
  filter.integration = Integration(7);
  ListBy(state, filter);
}
BENCHMARK(BM_ReleasesOfIntegration)->Iterations(500)->UseRealTime();

void BM_GateLoad(benchmark::State& state) {
  Fixture* f = Load();
  if (f == nullptr) return state.SkipWithError("load failed");
  size_t gates = 0;
  TimeCalls(state, [&] {
    std::vector<eval::ReleaseGate> loaded;
    const Status read = f->store->Read([&](Transaction& tx) -> Status {
      WARDEN_ASSIGN_OR_RETURN(
          loaded, releases::LoadReleaseGates(tx, Environment::kProduction));
      return Status::Ok();
    });
    gates = loaded.size();
    return read.ok();
  });
  state.counters["gates"] = static_cast<double>(gates);
}
BENCHMARK(BM_GateLoad)->Iterations(20)->UseRealTime();

}  // namespace
}  // namespace warden

BENCHMARK_MAIN();
