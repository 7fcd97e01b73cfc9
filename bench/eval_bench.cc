// Flag evaluation, against a baseline measured in the same run.
//
// BM_HandWrittenLoop: the same decision coded by hand (hash-set block list,
//   three attribute checks on the same boost::json context, RE2-free,
//   MurmurHash3 25% rollout): the floor for any evaluator.
// BM_WardenBooleanFlag: the same flag through Snapshot::Evaluate; reports
//   allocs_per_eval (must be 0).
// BM_WardenVsHandWritten: both timed back to back; reports ns for each and
//   the ratio (target <= 2).
// BM_JsonLogicFractional: a flagd-imported flag with if/in/fractional
//   bucketed by an expression (no native twin: native rollouts bucket by
//   the targeting key); reports allocs_per_eval (must be 0).
// BM_JsonLogicVsNative: the new-checkout decision imported from a flagd
//   file (if / in on a 1,000-key array / == / in / ends_with / fractional)
//   and its native twin (BenchConfig), timed back to back; reports ns for
//   each, the ratio (target <= 2), allocs per JsonLogic evaluation (target
//   0), and the expression alone through the compiled program and through
//   the interpreter (the path every JsonLogic flag took before).
// BM_SnapshotBuild: 10,000 flags and 100,000 tenants (in a 100,000-tenant
//   segment); reports the snapshot's heap size.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <ctime>
#include <new>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/counting_allocator.h"
#include "eval/eval_scope.h"
#include "eval/flagd_format.h"
#include "eval/json_logic.h"
#include "eval/murmur3.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

constexpr int kContexts = 1024;
constexpr int kBlocked = 1000;

Condition Cond(const char* attr, ConditionOp op, const char* operand) {
  return {attr, op, boost::json::parse(operand)};
}

// new-checkout: blocked tenants off; enterprise on; region apac off;
// email on corp domain on; else 25% rollout.
EnvironmentConfig BenchConfig() {
  EnvironmentConfig config;
  Segment blocked{"blocked", {}, {}};
  for (int i = 0; i < kBlocked; ++i) {
    blocked.tenant_keys.push_back("tenant-" + std::to_string(i * 7));
  }
  config.segments.push_back(std::move(blocked));
  Flag f;
  f.key = "new-checkout";
  f.variants = {{"on", true}, {"off", false}};
  f.default_variant = "off";
  f.rules.push_back(
      {{Cond("", ConditionOp::kInSegment, R"("blocked")")}, "off"});
  f.rules.push_back(
      {{Cond("plan", ConditionOp::kEquals, R"("enterprise")")}, "on"});
  f.rules.push_back(
      {{Cond("region", ConditionOp::kIn, R"(["apac", "latam"])")}, "off"});
  f.rules.push_back(
      {{Cond("email", ConditionOp::kEndsWith, R"("@corp.example")")}, "on"});
  f.rollout = {{"on", 25}, {"off", 75}};
  config.flags.push_back(std::move(f));
  return config;
}

std::vector<EvaluationContext> BenchContexts() {
  const char* plans[] = {"free", "pro", "enterprise", "team"};
  const char* regions[] = {"eu", "us", "apac", "latam", "eu"};
  std::vector<EvaluationContext> out(kContexts);
  for (int i = 0; i < kContexts; ++i) {
    out[i].targeting_key = "tenant-" + std::to_string(i * 3);
    out[i].attributes["plan"] = plans[i % 4];
    out[i].attributes["region"] = regions[i % 5];
    out[i].attributes["email"] =
        "user" + std::to_string(i) +
        (i % 9 == 0 ? "@corp.example" : "@mail.example");
  }
  return out;
}

// The same decision, written directly.
struct HandWritten {
  std::unordered_set<std::string> blocked;

  HandWritten() {
    for (int i = 0; i < kBlocked; ++i)
      blocked.insert("tenant-" + std::to_string(i * 7));
  }

  static bool StringAttr(const EvaluationContext& ctx, std::string_view key,
                         std::string_view* out) {
    const auto* v = ctx.attributes.if_contains(key);
    if (v == nullptr || !v->is_string()) return false;
    *out = v->get_string();
    return true;
  }

  bool Evaluate(const EvaluationContext& ctx) const {
    if (blocked.count(ctx.targeting_key) != 0) return false;
    std::string_view s;
    if (StringAttr(ctx, "plan", &s) && s == "enterprise") return true;
    if (StringAttr(ctx, "region", &s) && (s == "apac" || s == "latam"))
      return false;
    if (StringAttr(ctx, "email", &s) && s.ends_with("@corp.example"))
      return true;
    Murmur3Hasher h;
    h.Update("new-checkout");
    h.Update(ctx.targeting_key);
    return FractionalBucket(h.Finish(), 100) < 25;
  }
};

std::shared_ptr<const Snapshot> BenchSnapshot() {
  return *SnapshotBuilder().Build(BenchConfig());
}

void BM_HandWrittenLoop(benchmark::State& state) {
  HandWritten hand;
  auto contexts = BenchContexts();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(hand.Evaluate(contexts[i++ % kContexts]));
  }
}
BENCHMARK(BM_HandWrittenLoop);

void BM_WardenBooleanFlag(benchmark::State& state) {
  auto snapshot = BenchSnapshot();
  auto contexts = BenchContexts();
  size_t i = 0;
  long before = g_allocations.load();
  for (auto _ : state) {
    EvaluationResult r =
        snapshot->Evaluate("new-checkout", contexts[i++ % kContexts]);
    benchmark::DoNotOptimize(r.value);
  }
  state.counters["allocs_per_eval"] =
      static_cast<double>(g_allocations.load() - before) /
      static_cast<double>(state.iterations());
}
BENCHMARK(BM_WardenBooleanFlag);

// Thread CPU time, so that other processes on a shared machine do not
// distort the ratio.
double ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

template <typename Fn>
double NsPerCall(Fn&& fn, int n) {
  double start = ThreadCpuNs();
  for (int i = 0; i < n; ++i) fn(i);
  return (ThreadCpuNs() - start) / n;
}

void BM_WardenVsHandWritten(benchmark::State& state) {
  auto snapshot = BenchSnapshot();
  auto contexts = BenchContexts();
  HandWritten hand;
  constexpr int kCalls = 200'000;
  double warden_ns = 0, hand_ns = 0;
  int agree = 0;
  for (auto _ : state) {
    hand_ns += NsPerCall(
        [&](int i) {
          benchmark::DoNotOptimize(hand.Evaluate(contexts[i % kContexts]));
        },
        kCalls);
    warden_ns += NsPerCall(
        [&](int i) {
          benchmark::DoNotOptimize(
              snapshot->Evaluate("new-checkout", contexts[i % kContexts])
                  .value);
        },
        kCalls);
  }
  for (const auto& ctx : contexts) {
    const auto* v = snapshot->Evaluate("new-checkout", ctx).value;
    agree += v != nullptr && v->as_bool() == hand.Evaluate(ctx);
  }
  double n = static_cast<double>(state.iterations());
  state.counters["warden_ns"] = warden_ns / n;
  state.counters["hand_ns"] = hand_ns / n;
  state.counters["ratio"] = warden_ns / hand_ns;
  state.counters["agree_pct"] = 100.0 * agree / kContexts;
}
BENCHMARK(BM_WardenVsHandWritten)->Iterations(5)->Unit(benchmark::kMillisecond);

void BM_JsonLogicFractional(benchmark::State& state) {
  auto config = ImportFlagd(R"({"flags": {"headerColor": {"state": "ENABLED",
    "variants": {"red": "#FF0000", "blue": "#0000FF", "green": "#00FF00",
                 "yellow": "#FFFF00"},
    "defaultVariant": "red",
    "targeting": {"if": [{"in": ["@faas.com", {"var": ["email"]}]},
      {"fractional": [{"var": "email"}, ["red", 25], ["blue", 25],
                      ["green", 25], ["yellow", 25]]}, null]}}}})");
  auto snapshot = *SnapshotBuilder().Build(std::move(config).value());
  std::vector<EvaluationContext> contexts(kContexts);
  for (int i = 0; i < kContexts; ++i) {
    std::string n = std::to_string(i);
    contexts[i].targeting_key = n;
    contexts[i].attributes["email"] = n.append("@faas.com");
  }
  size_t i = 0;
  long before = g_allocations.load();
  for (auto _ : state) {
    EvaluationResult r =
        snapshot->Evaluate("headerColor", contexts[i++ % kContexts]);
    benchmark::DoNotOptimize(r.value);
  }
  state.counters["allocs_per_eval"] =
      static_cast<double>(g_allocations.load() - before) /
      static_cast<double>(state.iterations());
}
BENCHMARK(BM_JsonLogicFractional);

// The new-checkout flag as a flagd user writes it: same key, same
// variants, same decisions as BenchConfig's native rules and rollout.
std::string FlagdTwinTargeting() {
  std::string blocked;
  for (int i = 0; i < kBlocked; ++i) {
    if (i > 0) blocked += ", ";
    blocked += "\"tenant-" + std::to_string(i * 7) + "\"";
  }
  return R"({"if": [{"in": [{"var": "targetingKey"}, [)" + blocked +
         R"(]]}, "off",
      {"==": [{"var": "plan"}, "enterprise"]}, "on",
      {"in": [{"var": "region"}, ["apac", "latam"]]}, "off",
      {"ends_with": [{"var": "email"}, "@corp.example"]}, "on",
      {"fractional": [["on", 25], ["off", 75]]}]})";
}

std::shared_ptr<const Snapshot> FlagdTwinSnapshot() {
  std::string doc = R"({"flags": {"new-checkout": {"state": "ENABLED",
      "variants": {"on": true, "off": false}, "defaultVariant": "off",
      "targeting": )" +
                    FlagdTwinTargeting() + "}}}";
  return *SnapshotBuilder().Build(*ImportFlagd(doc));
}

void BM_JsonLogicVsNative(benchmark::State& state) {
  auto native = BenchSnapshot();
  auto imported = FlagdTwinSnapshot();
  auto contexts = BenchContexts();
  std::unique_ptr<JsonLogic> logic =
      JsonLogic::Compile(boost::json::parse(FlagdTwinTargeting()), "targeting",
                         {}, EvalLimits{})
          .value();
  constexpr int kCalls = 200'000;
  double logic_ns = 0, native_ns = 0, program_ns = 0, interp_ns = 0;
  long allocs = 0;
  for (auto _ : state) {
    native_ns += NsPerCall(
        [&](int i) {
          benchmark::DoNotOptimize(
              native->Evaluate("new-checkout", contexts[i % kContexts]).value);
        },
        kCalls);
    long before = g_allocations.load();
    logic_ns += NsPerCall(
        [&](int i) {
          benchmark::DoNotOptimize(
              imported->Evaluate("new-checkout", contexts[i % kContexts])
                  .value);
        },
        kCalls);
    allocs += g_allocations.load() - before;
    bool over = false;
    program_ns += NsPerCall(
        [&](int i) {
          EvalScope scope(contexts[i % kContexts], "new-checkout", *imported);
          benchmark::DoNotOptimize(logic->Evaluate(scope, &over).kind);
        },
        kCalls);
    interp_ns += NsPerCall(
        [&](int i) {
          EvalScope scope(contexts[i % kContexts], "new-checkout", *imported);
          benchmark::DoNotOptimize(logic->Interpret(scope, &over).kind);
        },
        kCalls / 100);  // the interpreter rebuilds the 1,000-key array
  }
  int agree = 0;
  for (const auto& ctx : contexts) {
    const auto* a = native->Evaluate("new-checkout", ctx).value;
    const auto* b = imported->Evaluate("new-checkout", ctx).value;
    agree += a != nullptr && b != nullptr && *a == *b;
  }
  double n = static_cast<double>(state.iterations());
  state.counters["jsonlogic_ns"] = logic_ns / n;
  state.counters["native_ns"] = native_ns / n;
  state.counters["ratio"] = logic_ns / native_ns;
  state.counters["allocs_per_eval"] =
      static_cast<double>(allocs) / (n * kCalls);
  state.counters["program_ns"] = program_ns / n;
  state.counters["interp_ns"] = interp_ns / n;
  state.counters["compiled"] = logic->program() != nullptr;
  state.counters["agree_pct"] = 100.0 * agree / kContexts;
}
BENCHMARK(BM_JsonLogicVsNative)->Iterations(5)->Unit(benchmark::kMillisecond);

EnvironmentConfig LargeConfig() {
  EnvironmentConfig config;
  Segment all{"all-tenants", {}, {}};
  for (int i = 0; i < 100'000; ++i) {
    Tenant t;
    t.key = "tenant-" + std::to_string(i);
    t.account_manager = "am-" + std::to_string(i % 50);
    t.attributes["plan"] = i % 3 == 0 ? "enterprise" : "pro";
    t.integrations = {"slack"};
    all.tenant_keys.push_back(t.key);
    config.tenants.push_back(std::move(t));
  }
  config.segments.push_back(std::move(all));
  for (int i = 0; i < 10'000; ++i) {
    Flag f;
    f.key = "flag-" + std::to_string(i);
    f.variants = {{"on", true}, {"off", false}};
    f.default_variant = "off";
    f.rules.push_back(
        {{Cond("plan", ConditionOp::kEquals, R"("enterprise")")}, "on"});
    f.rules.push_back(
        {{Cond("", ConditionOp::kInSegment, R"("all-tenants")")}, "off"});
    f.rollout = {{"on", 10}, {"off", 90}};
    config.flags.push_back(std::move(f));
  }
  return config;
}

void BM_SnapshotBuild(benchmark::State& state) {
  EnvironmentConfig config = LargeConfig();
  size_t heap_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    EnvironmentConfig copy = config;
    size_t before = mallinfo2().uordblks;
    state.ResumeTiming();
    auto snapshot = SnapshotBuilder().Build(std::move(copy));
    state.PauseTiming();
    heap_bytes = mallinfo2().uordblks - before;
    snapshot = Status(StatusCode::kInternal, "drop");  // free outside timing
    state.ResumeTiming();
  }
  state.counters["snapshot_MiB"] = static_cast<double>(heap_bytes) / (1 << 20);
}
BENCHMARK(BM_SnapshotBuild)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace warden::eval

BENCHMARK_MAIN();
