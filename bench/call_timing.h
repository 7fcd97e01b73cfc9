// Per-call latency for benchmarks whose figure is a percentile, not a mean:
// TimeCalls times each call and reports p50_us and p99_us counters.
#ifndef WARDEN_BENCH_CALL_TIMING_H_
#define WARDEN_BENCH_CALL_TIMING_H_

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace warden {

// `call` returns false on failure, which ends the benchmark with an error.
template <typename Call>
void TimeCalls(benchmark::State& state, Call call) {
  std::vector<double> micros;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    if (!call()) {
      state.SkipWithError("call failed");
      return;
    }
    micros.push_back(std::chrono::duration<double, std::micro>(
                         std::chrono::steady_clock::now() - start)
                         .count());
  }
  if (micros.empty()) return;
  std::sort(micros.begin(), micros.end());
  auto at = [&micros](double q) {
    return micros[std::min(micros.size() - 1,
                           static_cast<size_t>(q * micros.size()))];
  };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
}

}  // namespace warden

#endif  // WARDEN_BENCH_CALL_TIMING_H_
