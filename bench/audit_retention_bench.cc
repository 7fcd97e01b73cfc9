// Audit retention throughput: archive + prune (audit/audit_archiver.h) of
// AUDIT_BENCH_RECORDS (default 1,000,000) keyed records in a real SQLite
// store, next to the offline verification of the same store measured in
// the same iteration (the baseline: `warden audit verify`'s work, one
// thread).
//
// BM_ArchivePrune: per iteration, a fresh copy of one prepared store (the
// copy is not timed) is verified (VerifyAuditChain, 1 thread), then every
// record but the head is archived and pruned in one run. Counters:
// `archive_records_per_s` (read, re-verify, encode, gzip, fsync, and the
// one transaction deleting them and storing the anchor),
// `verify_records_per_s`, and `x_verify` = archive rate / verify rate; the
// archive's compressed and raw bytes per record; and the prune's share.
//
// The store goes to $WARDEN_BENCH_DIR (default /tmp).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "audit/audit_archiver.h"
#include "audit/audit_chain_verifier.h"
#include "core/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

constexpr int kUnitRecords = 10000;
constexpr int64_t kEveryRecordOlderUs = 4'000'000'000'000'000;  // 2096

int64_t RecordCount() {
  const char* count = std::getenv("AUDIT_BENCH_RECORDS");
  return count != nullptr ? std::atoll(count) : 1'000'000;
}

// Shaped like the records a server writes (audit_bench.cc's).
AuditEvent BenchEvent(int64_t i) {
  AuditEvent event;
  event.time = FromMicros(1'800'000'000'000'000 + i * 997);
  event.actor = "user:alice@example.com";
  event.action = "identity.create";
  event.target = "identity/01JD" + std::to_string(1000000000 + i);
  event.outcome = "ok";
  event.details =
      R"({"name":"svc-)" + std::to_string(i) + R"(","owner":"payments"})";
  return event;
}

Result<std::unique_ptr<Store>> Open(const std::string& dir,
                                    const AuditChainKey& key) {
  SqliteStoreOptions options;
  options.path = dir + "/warden.db";
  options.audit_key = key;
  options.read_connections = 1;
  options.read_mmap_bytes = kVerifyMmapBytes;
  return OpenSqliteStore(options);
}

// The prepared store, built once per process (closed: WAL checkpointed).
struct Prepared {
  std::string dir;
  AuditChainKey key = AuditChainKey::Generate();
  bool ok = false;
  ~Prepared() {
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }
};

std::string TempDir() {
  const char* base = std::getenv("WARDEN_BENCH_DIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") +
                        "/warden_retention_bench_XXXXXX";
  return mkdtemp(pattern.data()) != nullptr ? pattern : "";
}

Prepared& Shared() {
  static Prepared prepared = [] {
    Prepared p;
    p.dir = TempDir();
    auto store = Open(p.dir, p.key);
    if (!store.ok()) return p;
    const int64_t total = RecordCount();
    Status status;
    for (int64_t first = 0; first < total && status.ok();
         first += kUnitRecords) {
      status = (*store)->Write([&](Transaction& tx) {
        for (int64_t i = first; i < std::min(total, first + kUnitRecords);
             ++i) {
          WARDEN_RETURN_IF_ERROR(tx.audit().Append(BenchEvent(i)).status());
        }
        return Status::Ok();
      });
    }
    (*store)->Close();
    p.ok = status.ok();
    if (!status.ok()) std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return p;
  }();
  return prepared;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

void BM_ArchivePrune(benchmark::State& state) {
  Prepared& prepared = Shared();
  if (!prepared.ok) {
    state.SkipWithError("cannot build the bench store");
    return;
  }
  const AuditCheckpointSigner signer =
      AuditCheckpointSigner::FromSeed(std::string(32, 'b')).value();
  const SystemClock clock;
  double verify_s = 0, archive_s = 0, prune_s = 0;
  int64_t verified = 0, archived = 0, file_bytes = 0, raw_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = TempDir();
    std::filesystem::copy_file(prepared.dir + "/warden.db", dir + "/warden.db");
    auto store = Open(dir, prepared.key);
    if (!store.ok()) {
      state.SkipWithError("cannot open the copy");
      return;
    }
    state.ResumeTiming();
    AuditVerifyOptions verify;
    verify.key = &prepared.key;
    verify.threads = 1;
    auto started = std::chrono::steady_clock::now();
    Result<AuditVerification> v = VerifyAuditChain(**store, verify);
    verify_s += Seconds(started);
    if (!v.ok() || !v->intact()) {
      state.SkipWithError("verification failed");
      return;
    }
    verified += v->records_checked;
    AuditArchiveOptions options;
    // After every record (BenchEvent times run into 2027).
    options.older_than = FromMicros(kEveryRecordOlderUs);
    options.path = dir + "/archive.jsonl.gz";
    options.key = &prepared.key;
    options.signer = &signer;
    options.checkpoint_sequence = v->last_sequence;
    options.clock = &clock;
    started = std::chrono::steady_clock::now();
    Result<AuditArchiveOutcome> outcome = ArchiveAuditLog(**store, options);
    archive_s += Seconds(started);
    if (!outcome.ok() || !outcome->archived) {
      state.SkipWithError(outcome.ok() ? "nothing archived"
                                       : outcome.status().ToString().c_str());
      return;
    }
    archived += outcome->manifest.records;
    prune_s += std::chrono::duration<double>(outcome->prune_time).count();
    file_bytes += outcome->file_bytes;
    raw_bytes += outcome->raw_bytes;
    state.PauseTiming();
    (*store)->Close();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    state.ResumeTiming();
  }
  const double archive_rate = archived / archive_s;
  const double verify_rate = verified / verify_s;
  state.counters["archive_records_per_s"] = archive_rate;
  state.counters["verify_records_per_s"] = verify_rate;
  state.counters["x_verify"] = archive_rate / verify_rate;
  state.counters["prune_share"] = prune_s / archive_s;
  state.counters["file_bytes_per_record"] =
      static_cast<double>(file_bytes) / archived;
  state.counters["raw_bytes_per_record"] =
      static_cast<double>(raw_bytes) / archived;
}
BENCHMARK(BM_ArchivePrune)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);

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
