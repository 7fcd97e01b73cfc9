// Audit sink throughput: records per second the streamer
// (audit/audit_sink_streamer.h) delivers from a real SQLite store to a
// JSON Lines file (fsync per batch) and to a syslog collector over TCP on
// loopback (octet counting, each batch acknowledged by the collector's
// TCP), next to the rate the same store appends audit records, measured in
// the same run:
//
// BM_AuditAppend: the baseline. 8 threads each commit one audited unit
//   (one AuditLog::Append) per Store::Write, group-committed, as the
//   server's request workers do: the rate at which Warden can produce
//   audit records.
// BM_SinkFile/B, BM_SinkSyslogTcp/B: AUDIT_SINK_BENCH_RECORDS (default
//   20,000) records already committed; the time from Start() until the
//   sink's lag is 0, batch size B. Counters: records_per_second, and
//   x_append = that rate / BM_AuditAppend's rate in this run (above 1: a
//   sink keeps up with the most the store can write).
//
// Files go to $WARDEN_BENCH_DIR (default /tmp).
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_sink_streamer.h"
#include "audit/file_audit_sink.h"
#include "audit/syslog_audit_sink.h"
#include "core/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

double g_append_rate = 0;  // BM_AuditAppend's, for the ratios

int64_t BenchRecords() {
  const char* env = std::getenv("AUDIT_SINK_BENCH_RECORDS");
  return env != nullptr ? std::atoll(env) : 20'000;
}

std::string BenchDir() {
  const char* env = std::getenv("WARDEN_BENCH_DIR");
  std::string pattern =
      std::string(env != nullptr ? env : "/tmp") + "/warden-sink-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

AuditEvent Event(int64_t i) {
  AuditEvent e;
  e.time = FromMicros(1'800'000'000'000'000 + i);
  e.actor = "api_token/0193a0b2-7c1e-7d4a-9f00-0123456789ab";
  e.action = "identity.create";
  e.target = "identity/0193a0b2-7c1e-7d4a-9f00-" + std::to_string(i);
  e.outcome = "ok";
  e.details = "{\"name\":\"payments-ci-" + std::to_string(i) +
              "\",\"owner\":\"payments\",\"request_id\":\"r-" +
              std::to_string(i) + "\"}";
  return e;
}

std::unique_ptr<Store> OpenStore(const std::string& dir) {
  SqliteStoreOptions options;
  options.path = dir + "/warden.db";
  auto store = OpenSqliteStore(options);
  if (!store.ok()) std::abort();
  return std::move(*store);
}

// Appends `count` records, 1000 per unit (building the backlog fast).
void Fill(Store& store, int64_t count) {
  for (int64_t done = 0; done < count; done += 1000) {
    const Status s = store.Write([&](Transaction& tx) -> Status {
      for (int64_t i = done; i < std::min(count, done + 1000); ++i) {
        WARDEN_RETURN_IF_ERROR(tx.audit().Append(Event(i)).status());
      }
      return Status::Ok();
    });
    if (!s.ok()) std::abort();
  }
}

void BM_AuditAppend(benchmark::State& state) {
  const std::string dir = BenchDir();
  auto store = OpenStore(dir);
  constexpr int kThreads = 8;
  const int64_t per_thread = BenchRecords() / kThreads;
  for (auto _ : state) {
    const auto begin = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int64_t i = 0; i < per_thread; ++i) {
          const Status s = store->Write([&](Transaction& tx) {
            return tx.audit().Append(Event(t * per_thread + i)).status();
          });
          if (!s.ok()) std::abort();
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
            .count();
    state.SetIterationTime(seconds);
    g_append_rate = static_cast<double>(per_thread * kThreads) / seconds;
  }
  state.counters["records_per_second"] = g_append_rate;
  store->Close();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_AuditAppend)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// A collector that reads and drops everything, so the sink, not the
// receiver, is measured.
class DrainingCollector {
 public:
  DrainingCollector() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) ||
        ::listen(fd_, 4)) {
      std::abort();
    }
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Run(); });
  }
  ~DrainingCollector() {
    stopping_ = true;
    thread_.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }

 private:
  void Run() {
    std::vector<char> buffer(1 << 20);
    int connection = -1;
    while (!stopping_) {
      pollfd p{connection >= 0 ? connection : fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      if (connection < 0) {
        connection = ::accept(fd_, nullptr, nullptr);
        continue;
      }
      if (::recv(connection, buffer.data(), buffer.size(), 0) <= 0) {
        ::close(connection);
        connection = -1;
      }
    }
    if (connection >= 0) ::close(connection);
  }
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Times one streamer draining the prefilled backlog into `sink`.
void DrainInto(benchmark::State& state, Store& store,
               std::unique_ptr<AuditSink> sink, const char* kind) {
  const int64_t records = BenchRecords();
  SystemClock clock;
  AuditSinkStreamerOptions options;
  options.poll = 1ms;
  AuditSinkStreamer streamer(store, clock, options);
  streamer.Add("bench", kind, std::move(sink),
               static_cast<int>(state.range(0)));
  const auto begin = std::chrono::steady_clock::now();
  streamer.Start();
  while (streamer.Statuses()[0].delivered_sequence < records) {
    std::this_thread::sleep_for(1ms);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  streamer.Stop();
  state.SetIterationTime(seconds);
  const double rate = static_cast<double>(records) / seconds;
  state.counters["records_per_second"] = rate;
  if (g_append_rate > 0) state.counters["x_append"] = rate / g_append_rate;
  if (streamer.Statuses()[0].failed_deliveries != 0) std::abort();
}

void BM_SinkFile(benchmark::State& state) {
  const std::string dir = BenchDir();
  auto store = OpenStore(dir);
  Fill(*store, BenchRecords());
  SystemClock clock;
  for (auto _ : state) {
    auto sink = FileAuditSink::Open(dir + "/audit.jsonl", 0, 0s, clock);
    if (!sink.ok()) std::abort();
    DrainInto(state, *store, std::move(*sink), "file");
  }
  store->Close();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SinkFile)
    ->Arg(100)
    ->Arg(1000)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

void BM_SinkSyslogTcp(benchmark::State& state) {
  const std::string dir = BenchDir();
  auto store = OpenStore(dir);
  Fill(*store, BenchRecords());
  DrainingCollector collector;
  for (auto _ : state) {
    AuditSinkSpec spec;
    spec.name = "bench";
    spec.kind = AuditSinkKind::kSyslogTcp;
    spec.host = "127.0.0.1";
    spec.port = collector.port();
    DrainInto(state, *store, std::make_unique<SyslogAuditSink>(spec, 5s),
              "syslog+tcp");
  }
  store->Close();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SinkSyslogTcp)
    ->Arg(100)
    ->Arg(500)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace warden

int main(int argc, char** argv) {
  if (!warden::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
