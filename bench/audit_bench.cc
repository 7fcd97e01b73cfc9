// `warden audit verify` throughput, in MB/s of record bytes (the canonical
// encoding each link hash covers), next to the raw rates of the primitives
// it is built on, measured in the same binary run:
//
// BM_RawSha256 / BM_RawHmacSha256: OpenSSL over 1 MiB buffers, one core:
//   the ceiling of any hash-chain verifier on this CPU.
// BM_RawHmacSha256Records: HMAC-SHA-256 over record-sized messages with the
//   key's pads precomputed: the ceiling for this record size (each record
//   pays the padding block and the outer hash).
// BM_VerifyChain/T: VerifyAuditChain over AUDIT_BENCH_RECORDS (default
//   1,000,000) keyed records in a real SQLite store, T threads. Counters:
//   `x_raw_sha256` = this wall-clock rate / the raw one-core SHA-256 rate
//   (per CPU second) measured just before in the same process;
//   `x_raw_sha256_per_core` = the same per CPU second of all threads (what
//   a loaded machine leaves comparable; on an idle machine the wall-clock
//   ratio is this times the cores used).
// BM_AuditedWrite/0|1|2|3: group-committed audited writes without a
//   checkpointer, then with a checkpoint lag bound of none, 1 and 2 batches.
// BM_OnlineVerify: POST /v1/audit/verify's check (server/online_audit_check.h:
//   one thread, consistent read snapshots) over the same store while a
//   writer commits one audited record per Store::Write every millisecond.
//   Counters: the writer's worst and mean commit latency during the
//   verification, next to the same writer's alone for 2 s just before
//   (`writer_max_x_alone`, `writer_mean_x_alone`): how long a verification
//   of the whole log holds writers up.
// BM_ScanChainOnly: the store's part alone (records read, nothing hashed).
// BM_VerifyChainPagedQuery: the unkeyed verifier (pages of 1000
//   AuditRecords through AuditLog::Query, a string per field, the encoding
//   built twice, libsodium SHA-256), over the same store, for comparison.
//
// The store goes to $WARDEN_BENCH_DIR (default /tmp); building it takes a
// while and happens once per run (or once for all runs: AUDIT_BENCH_STORE).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <benchmark/benchmark.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_chain_verifier.h"
#include "audit/audit_checkpointer.h"
#include "audit/audit_key_files.h"
#include "core/audit_link_hasher.h"
#include "core/crypto.h"
#include "server/online_audit_check.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

constexpr size_t kRawBufferBytes = 1 << 20;
constexpr int kUnitRecords = 10000;
constexpr double kMb = 1024.0 * 1024.0;

int64_t RecordCount() {
  const char* count = std::getenv("AUDIT_BENCH_RECORDS");
  return count != nullptr ? std::atoll(count) : 1'000'000;
}

// Shaped like the records a server writes (~210 canonical bytes).
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

// One keyed store shared by the verification benchmarks, built on first use.
struct BenchStore {
  std::string dir;
  std::optional<AuditChainKey> key;
  std::unique_ptr<Store> store;
  bool keep = false;  // AUDIT_BENCH_STORE: reused, or kept for reuse

  ~BenchStore() {
    if (store) store->Close();
    std::error_code ignored;
    if (!dir.empty() && !keep) std::filesystem::remove_all(dir, ignored);
  }
};

Result<std::unique_ptr<Store>> OpenBenchStore(const BenchStore& bench) {
  SqliteStoreOptions options;
  options.path = bench.dir + "/warden.db";
  options.audit_key = bench.key;
  options.read_connections = kMaxVerifyThreads;
  options.read_mmap_bytes = kVerifyMmapBytes;
  return OpenSqliteStore(options);
}

Status FillBenchStore(Store& store) {
  const int64_t total = RecordCount();
  for (int64_t first = 0; first < total; first += kUnitRecords) {
    WARDEN_RETURN_IF_ERROR(store.Write([&](Transaction& tx) {
      for (int64_t i = first; i < std::min(total, first + kUnitRecords); ++i) {
        WARDEN_RETURN_IF_ERROR(tx.audit().Append(BenchEvent(i)).status());
      }
      return Status::Ok();
    }));
  }
  return Status::Ok();
}

// Builds the store, closes it (which checkpoints SQLite's WAL into the
// database file, as a stopped server leaves it) and reopens it. With
// AUDIT_BENCH_STORE=DIR an existing DIR (warden.db + audit.key) is reused,
// or a new one kept there for the next run.
std::unique_ptr<BenchStore> BuildBenchStore() {
  auto bench = std::make_unique<BenchStore>();
  const char* reuse = std::getenv("AUDIT_BENCH_STORE");
  if (reuse != nullptr && *reuse != '\0') {
    bench->dir = reuse;
    bench->keep = true;
    std::filesystem::create_directories(bench->dir);
  } else {
    const char* base = std::getenv("WARDEN_BENCH_DIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") +
                          "/warden_audit_bench_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) return bench;
    bench->dir = pattern;
  }
  Result<std::optional<AuditChainKey>> key = LoadAuditChainKey(bench->dir);
  if (key.ok() && key->has_value()) {
    bench->key = **key;
    auto store = OpenBenchStore(*bench);
    if (store.ok()) bench->store = std::move(store).value();
    return bench;
  }
  bench->key = AuditChainKey::Generate();
  std::string raw(bench->key->bytes().begin(), bench->key->bytes().end());
  std::ofstream(AuditFilePath(bench->dir, kAuditKeyFileName)) << raw;
  auto store = OpenBenchStore(*bench);
  if (!store.ok()) return bench;
  const Status filled = FillBenchStore(**store);
  (*store)->Close();
  if (!filled.ok()) {
    std::fprintf(stderr, "%s\n", filled.ToString().c_str());
    return bench;
  }
  store = OpenBenchStore(*bench);
  if (store.ok()) bench->store = std::move(store).value();
  return bench;
}

BenchStore* SharedStore() {
  static std::unique_ptr<BenchStore> shared = BuildBenchStore();
  return shared.get();
}

// CPU seconds used so far by `clock` (CLOCK_THREAD_CPUTIME_ID: this thread;
// CLOCK_PROCESS_CPUTIME_ID: every thread). On a loaded machine CPU time is
// what stays comparable between runs; wall time is what a user waits.
double CpuSeconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + now.tv_nsec * 1e-9;
}

// Raw SHA-256 bytes per CPU second of one core, measured for a second.
double RawSha256BytesPerCpuSecond() {
  static const std::string buffer(kRawBufferBytes, 'a');
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const double start = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  int rounds = 0;
  while (CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - start < 1.0) {
    SHA256(reinterpret_cast<const unsigned char*>(buffer.data()), buffer.size(),
           digest);
    benchmark::DoNotOptimize(digest);
    ++rounds;
  }
  return rounds * static_cast<double>(kRawBufferBytes) /
         (CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - start);
}

void BM_RawSha256(benchmark::State& state) {
  const std::string buffer(kRawBufferBytes, 'a');
  unsigned char digest[SHA256_DIGEST_LENGTH];
  for (auto _ : state) {
    SHA256(reinterpret_cast<const unsigned char*>(buffer.data()), buffer.size(),
           digest);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(kRawBufferBytes));
}
BENCHMARK(BM_RawSha256)->MinTime(2);

void BM_RawHmacSha256(benchmark::State& state) {
  const std::string buffer(kRawBufferBytes, 'a');
  const AuditChainKey key = AuditChainKey::Generate();
  unsigned char mac[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  for (auto _ : state) {
    HMAC(EVP_sha256(), key.bytes().data(), static_cast<int>(key.bytes().size()),
         reinterpret_cast<const unsigned char*>(buffer.data()), buffer.size(),
         mac, &length);
    benchmark::DoNotOptimize(mac);
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(kRawBufferBytes));
}
BENCHMARK(BM_RawHmacSha256)->MinTime(2);

void BM_RawHmacSha256Records(benchmark::State& state) {
  const AuditChainKey key = AuditChainKey::Generate();
  AuditLinkHasher hasher(&key);
  AuditRecord record;
  record.sequence = 123456;
  record.event = BenchEvent(123456);
  record.prev_hash = std::string(64, 'a');
  record.format = AuditHashFormat::kHmacSha256;
  const AuditRecordView view = ViewOf(record);
  for (auto _ : state) benchmark::DoNotOptimize(hasher.Hash(view));
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(hasher.last_encoding_size()));
  state.counters["record_bytes"] =
      static_cast<double>(hasher.last_encoding_size());
}
BENCHMARK(BM_RawHmacSha256Records)->MinTime(2);

void BM_VerifyChain(benchmark::State& state) {
  BenchStore* bench = SharedStore();
  if (bench->store == nullptr) {
    state.SkipWithError("cannot build the bench store");
    return;
  }
  const double raw = RawSha256BytesPerCpuSecond();
  AuditVerifyOptions options;
  options.key = &*bench->key;
  options.threads = static_cast<int>(state.range(0));
  int64_t bytes = 0;
  int64_t records = 0;
  const double cpu_start = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  for (auto _ : state) {
    Result<AuditVerification> v = VerifyAuditChain(*bench->store, options);
    if (!v.ok() || !v->intact()) {
      state.SkipWithError("verification failed");
      return;
    }
    bytes += v->bytes_hashed;
    records += v->records_checked;
  }
  const double cpu = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(records);
  // Wall-clock rate over the raw one-core rate: what the issue asks.
  state.counters["x_raw_sha256"] = benchmark::Counter(
      static_cast<double>(bytes) / raw, benchmark::Counter::kIsRate);
  // The same per CPU second of all threads: per-core efficiency, which a
  // busy machine does not distort.
  state.counters["x_raw_sha256_per_core"] =
      static_cast<double>(bytes) / cpu / raw;
  state.counters["raw_sha256_MBps"] = raw / kMb;
}
BENCHMARK(BM_VerifyChain)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3);

// Commit latencies of one writer appending a record per millisecond.
struct WriterLatency {
  double max_us = 0;
  double total_us = 0;
  int64_t writes = 0;
  double mean_us() const { return writes > 0 ? total_us / writes : 0; }
};

// Writes until `stop`; the records continue the bench store's chain.
WriterLatency RunWriter(Store& store, const std::atomic<bool>& stop) {
  static std::atomic<int64_t> next{50'000'000};
  WriterLatency latency;
  while (!stop.load()) {
    const int64_t i = next++;
    const auto start = std::chrono::steady_clock::now();
    const Status status = store.Write([i](Transaction& tx) {
      return tx.audit().Append(BenchEvent(i)).status();
    });
    const double us = std::chrono::duration<double, std::micro>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    if (!status.ok()) break;
    latency.max_us = std::max(latency.max_us, us);
    latency.total_us += us;
    ++latency.writes;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return latency;
}

void BM_OnlineVerify(benchmark::State& state) {
  BenchStore* bench = SharedStore();
  if (bench->store == nullptr) {
    state.SkipWithError("cannot build the bench store");
    return;
  }
  Store& store = *bench->store;
  // No checkpoint file in the bench directory: the chain alone is checked.
  const inventory::AuditChainChecker check = server::OnlineAuditChainChecker(
      store, *bench->key, bench->dir + "/audit.checkpoint",
      std::string(32, '\0'));
  std::atomic<bool> stop{false};
  std::thread alone_thread([&] {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    stop = true;
  });
  const WriterLatency alone = RunWriter(store, stop);
  alone_thread.join();
  WriterLatency during;
  int64_t records = 0;
  for (auto _ : state) {
    stop = false;
    WriterLatency latency;
    std::thread writer([&] { latency = RunWriter(store, stop); });
    Result<inventory::AuditChainCheck> result = check();
    stop = true;
    writer.join();
    if (!result.ok() || !result->ok()) {
      state.SkipWithError("verification failed");
      return;
    }
    records += result->records_checked;
    during.max_us = std::max(during.max_us, latency.max_us);
    during.total_us += latency.total_us;
    during.writes += latency.writes;
  }
  state.SetItemsProcessed(records);
  state.counters["writer_alone_max_us"] = alone.max_us;
  state.counters["writer_alone_mean_us"] = alone.mean_us();
  state.counters["writer_during_max_us"] = during.max_us;
  state.counters["writer_during_mean_us"] = during.mean_us();
  state.counters["writer_max_x_alone"] =
      alone.max_us > 0 ? during.max_us / alone.max_us : 0;
  state.counters["writer_mean_x_alone"] =
      alone.mean_us() > 0 ? during.mean_us() / alone.mean_us() : 0;
}
BENCHMARK(BM_OnlineVerify)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One group-committed store per BM_AuditedWrite run, opened by thread 0
// before the timing loop (whose start is a barrier) and closed after it.
struct WriteBench {
  std::string dir;
  std::unique_ptr<AuditCheckpointer> checkpointer;
  std::unique_ptr<Store> store;
  std::atomic<int64_t> next{0};
};

// Store::Write of one keyed audit record per unit from 1, 16 and 128 threads:
// arg 0 without a checkpointer, arg N > 0 with one whose commits keep the
// checkpoint at most N-1 batches behind (arg 1: never wait; arg 2: the
// strict one-batch bound; arg 3: the server's default of two). What
// anchoring the head costs the write path, on the same disk.
void BM_AuditedWrite(benchmark::State& state) {
  static std::unique_ptr<WriteBench> shared;
  if (state.thread_index() == 0) {
    shared = std::make_unique<WriteBench>();
    const char* base = std::getenv("WARDEN_BENCH_DIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") +
                          "/warden_audit_write_XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) shared->dir = pattern;
    static const SystemClock clock;
    SqliteStoreOptions options;
    options.path = shared->dir + "/warden.db";
    options.audit_key = AuditChainKey::Generate();
    if (state.range(0) > 0) {
      shared->checkpointer = std::make_unique<AuditCheckpointer>(
          shared->dir + "/audit.checkpoint",
          AuditCheckpointSigner::FromSeed(RandomBytes(32)).value(), clock,
          nullptr, static_cast<int>(state.range(0)) - 1);
      options.audit_heads = shared->checkpointer.get();
    }
    auto store = OpenSqliteStore(options);
    if (store.ok()) shared->store = std::move(store).value();
    if (shared->store == nullptr) state.SkipWithError("cannot open the store");
  }
  for (auto _ : state) {
    const int64_t i = shared->next++;
    const Status status = shared->store->Write([i](Transaction& tx) {
      return tx.audit().Append(BenchEvent(i)).status();
    });
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    shared->store->Close();
    if (shared->checkpointer) {
      shared->checkpointer->Stop();
      state.counters["checkpoints_failed"] =
          static_cast<double>(shared->checkpointer->failures());
    }
    shared->store.reset();
    shared->checkpointer.reset();
    std::error_code ignored;
    std::filesystem::remove_all(shared->dir, ignored);
    shared.reset();
  }
}
BENCHMARK(BM_AuditedWrite)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Threads(1)
    ->Threads(16)
    ->Threads(128)
    ->MinTime(3)
    ->UseRealTime();

// The store's share of BM_VerifyChain/1: the same scan, nothing hashed.
void BM_ScanChainOnly(benchmark::State& state) {
  BenchStore* bench = SharedStore();
  if (bench->store == nullptr) {
    state.SkipWithError("cannot build the bench store");
    return;
  }
  int64_t records = 0;
  for (auto _ : state) {
    const Status read = bench->store->Read([&](Transaction& tx) {
      return tx.audit().Scan(1, RecordCount(), [&](const AuditRecordView& r) {
        benchmark::DoNotOptimize(r.hash.data());
        ++records;
        return true;
      });
    });
    if (!read.ok()) state.SkipWithError("scan failed");
  }
  state.SetItemsProcessed(records);
}
BENCHMARK(BM_ScanChainOnly)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3);

// The unkeyed verifier's work, on the same store.
void BM_VerifyChainPagedQuery(benchmark::State& state) {
  BenchStore* bench = SharedStore();
  if (bench->store == nullptr) {
    state.SkipWithError("cannot build the bench store");
    return;
  }
  int64_t bytes = 0;
  for (auto _ : state) {
    int64_t last = 0;
    while (true) {
      AuditFilter page;
      page.after_sequence = last;
      page.limit = 1000;
      std::vector<AuditRecord> records;
      if (!bench->store
               ->Read([&](Transaction& tx) -> Status {
                 WARDEN_ASSIGN_OR_RETURN(records, tx.audit().Query(page));
                 return Status::Ok();
               })
               .ok()) {
        state.SkipWithError("read failed");
        return;
      }
      for (const AuditRecord& r : records) {
        bytes += static_cast<int64_t>(
            CanonicalAuditEncoding(r.sequence, r.event, r.prev_hash).size());
        benchmark::DoNotOptimize(Sha256Hex(
            CanonicalAuditEncoding(r.sequence, r.event, r.prev_hash)));
        last = r.sequence;
      }
      if (records.size() < 1000) break;
    }
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_VerifyChainPagedQuery)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3);

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
