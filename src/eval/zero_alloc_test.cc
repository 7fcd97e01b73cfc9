// Evaluating a boolean flag with native rules, or a flag imported from a
// flagd file whose JsonLogic compiles to a program, allocates nothing: a
// counting global operator new, in this test binary only, proves it.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <new>

#include "core/counting_allocator.h"
#include "eval/flagd_format.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

TEST(ZeroAllocationTest, BooleanFlagWithNativeRules) {
  EnvironmentConfig config;
  Segment blocked{"blocked", {}, {}};
  for (int i = 0; i < 1000; ++i)
    blocked.tenant_keys.push_back("blocked-" + std::to_string(i));
  config.segments.push_back(blocked);
  config.tenants.push_back({"acme", "alice", {}, {"slack"}});
  Flag f;
  f.key = "new-checkout";
  f.variants = {{"on", true}, {"off", false}};
  f.default_variant = "off";
  auto c = [](const char* attr, ConditionOp op, const char* operand) {
    return Condition{attr, op, boost::json::parse(operand)};
  };
  f.rules.push_back({{c("", ConditionOp::kInSegment, R"("blocked")")}, "off"});
  f.rules.push_back({{c("plan", ConditionOp::kEquals, R"("enterprise")"),
                      c("region", ConditionOp::kIn, R"(["eu", "us"])"),
                      c("email", ConditionOp::kRegex, R"("@corp\\.example$")")},
                     "on"});
  f.rules.push_back({{c("seats", ConditionOp::kGe, "1000")}, "on"});
  f.rollout = {{"on", 25}, {"off", 75}};
  config.flags.push_back(f);
  // A limit means off (off_variant.h): false even without a false variant.
  Flag always_on;
  always_on.key = "always-on";
  always_on.variants = {{"on", true}};
  always_on.default_variant = "on";
  config.flags.push_back(always_on);
  config.limits.push_back(
      {"l", LimitScope::kIntegration, {"jira"}, {}, "", ""});
  auto snapshot = SnapshotBuilder().Build(std::move(config));
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  const Snapshot& s = **snapshot;

  std::vector<EvaluationContext> contexts(5);
  contexts[0].targeting_key = "blocked-7";
  contexts[1].targeting_key = "acme";
  contexts[1].attributes =
      boost::json::parse(
          R"({"plan": "enterprise", "region": "eu", "email": "a@corp.example"})")
          .as_object();
  contexts[2].targeting_key = "tenant-42";
  contexts[2].attributes = boost::json::parse(R"({"seats": 10})").as_object();
  contexts[3].targeting_key = "tenant-43";
  contexts[4].targeting_key = "tenant-44";
  contexts[4].attributes =
      boost::json::parse(R"({"integration": "jira"})").as_object();
  Reason expected[] = {Reason::kTargetingMatch, Reason::kTargetingMatch,
                       Reason::kSplit, Reason::kSplit, Reason::kLimited};

  // Warm-up: RE2 builds its lazy DFA states on first use (then cached).
  for (const auto& ctx : contexts) (void)s.Evaluate("new-checkout", ctx);

  long before = g_allocations.load();
  int checked = 0;
  for (int round = 0; round < 100; ++round) {
    for (size_t i = 0; i < contexts.size(); ++i) {
      EvaluationResult r = s.Evaluate("new-checkout", contexts[i]);
      checked += r.reason == expected[i] && r.value != nullptr;
    }
    EvaluationResult off = s.Evaluate("always-on", contexts[4]);
    checked += off.reason == Reason::kLimited && off.value != nullptr &&
               *off.value == false;
  }
  long after = g_allocations.load();
  EXPECT_EQ(checked, 600);
  EXPECT_EQ(after - before, 0) << "allocations during evaluation";

  // The counter works: an error path allocates its message.
  before = g_allocations.load();
  EvaluationResult r = s.Evaluate("no-such-flag", contexts[0]);
  EXPECT_EQ(r.error_code, ErrorCode::kFlagNotFound);
  EXPECT_GT(g_allocations.load() - before, 0);
}

// if / in (array and substring) / == / sem_ver / starts_with / fractional
// with and without a bucketing expression (a var, a cat): the shapes of
// migrated flagd files. The interpreter allocates for each array literal; the
// compiled program must not.
TEST(ZeroAllocationTest, ImportedJsonLogicFlag) {
  auto config = ImportFlagd(R"({"flags": {"header-color": {
      "state": "ENABLED",
      "variants": {"red": "#f00", "blue": "#00f", "green": "#0f0",
                   "yellow": "#ff0"},
      "defaultVariant": "red",
      "targeting": {"if": [
        {"in": [{"var": "targetingKey"}, ["t0", "t1", "t2", "t3", "t4",
                 "t5", "t6", "t7", "t8", "blocked-7"]]}, "red",
        {"==": [{"var": "plan"}, "enterprise"]}, "blue",
        {"in": [{"var": "region"}, ["apac", "latam"]]}, "green",
        {"and": [{"sem_ver": [{"var": "version"}, ">=", "2.1.0"]},
                 {"starts_with": [{"var": "email"}, "beta-"]}]}, "yellow",
        {"starts_with": [{"var": "email"}, "cat-"]},
        {"fractional": [{"cat": [{"var": "$flagd.flagKey"},
                                 {"var": "email"}]},
                        ["red", 50], ["blue", 50]]},
        {"in": ["@faas.com", {"var": "email"}]},
        {"fractional": [{"var": "email"}, ["red", 25], ["blue", 25],
                        ["green", 25], ["yellow", 25]]},
        {"fractional": [["red", 50], ["blue", 50]]}]}}}})");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto snapshot = SnapshotBuilder().Build(std::move(config).value());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  const Snapshot& s = **snapshot;

  const char* attributes[] = {
      R"({})",
      R"({"plan": "enterprise"})",
      R"({"region": "apac"})",
      R"({"version": "2.3.0", "email": "beta-ann@x.example"})",
      R"({"version": "1.0.0", "email": "ann@faas.com"})",
      R"({"email": "bob@mail.example", "plan": "pro"})",
      R"({"email": "cat-carol@mail.example"})",
  };
  std::vector<EvaluationContext> contexts;
  for (const char* a : attributes) {
    EvaluationContext ctx;
    ctx.targeting_key = "tenant-" + std::to_string(contexts.size());
    ctx.attributes = boost::json::parse(a).as_object();
    contexts.push_back(std::move(ctx));
  }
  contexts[0].targeting_key = "blocked-7";
  const char* expected[] = {"red",   "blue",  "green", "yellow",
                            nullptr, nullptr, nullptr};

  long before = g_allocations.load();
  int checked = 0;
  for (int round = 0; round < 100; ++round) {
    for (size_t i = 0; i < contexts.size(); ++i) {
      EvaluationResult r = s.Evaluate("header-color", contexts[i]);
      checked += r.reason == Reason::kTargetingMatch && r.value != nullptr &&
                 (expected[i] == nullptr || r.variant == expected[i]);
    }
  }
  long after = g_allocations.load();
  EXPECT_EQ(checked, 700);
  EXPECT_EQ(after - before, 0) << "allocations during evaluation";
}

}  // namespace
}  // namespace warden::eval
