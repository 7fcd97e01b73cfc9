// Release gates in evaluation (eval/release_gate.h): the stage audience,
// per-tenant clearance, opt-ins, and their place after exposure limits.
#include "eval/release_gate.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "eval/snapshot.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

namespace json = boost::json;

Flag OnFlag(std::string key) {
  Flag f;
  f.key = std::move(key);
  f.type = FlagType::kBoolean;
  f.variants = {{"on", true}, {"off", false}};
  f.default_variant = "on";
  f.off_variant = "off";
  return f;
}

EvaluationContext Tenant(std::string key) {
  EvaluationContext ctx;
  ctx.targeting_key = std::move(key);
  return ctx;
}

ReleaseGate Gate(std::vector<std::string> flags) {
  ReleaseGate gate;
  gate.release_id = "rel-1";
  gate.stage = "canary";
  gate.flag_keys = std::move(flags);
  return gate;
}

std::shared_ptr<const Snapshot> Build(EnvironmentConfig config) {
  auto s = SnapshotBuilder().Build(std::move(config));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : nullptr;
}

bool IsOn(const EvaluationResult& r) {
  return r.value != nullptr && r.value->is_bool() && r.value->get_bool();
}

TEST(ReleaseGateTest, OutsideTheAudienceIsStagedOff) {
  EnvironmentConfig config;
  config.flags = {OnFlag("f"), OnFlag("other")};
  ReleaseGate gate = Gate({"f"});
  gate.tenants = {"acme"};
  config.gates.push_back(gate);
  auto s = Build(config);
  EvaluationResult in = s->Evaluate("f", Tenant("acme"));
  EXPECT_TRUE(IsOn(in));
  EXPECT_EQ(in.reason, Reason::kStatic);
  EvaluationResult out = s->Evaluate("f", Tenant("globex"));
  EXPECT_EQ(out.reason, Reason::kStaged);
  EXPECT_EQ(out.variant, "off");
  EXPECT_FALSE(IsOn(out));
  EXPECT_EQ(out.release_id, "rel-1");
  EXPECT_EQ(out.release_stage, "canary");
  // A flag the release does not ship is untouched.
  EXPECT_TRUE(IsOn(s->Evaluate("other", Tenant("globex"))));
  // No targeting key: nobody is in a tenant audience.
  EXPECT_EQ(s->Evaluate("f", Tenant("")).reason, Reason::kStaged);
}

TEST(ReleaseGateTest, SegmentAudienceAndEveryone) {
  EnvironmentConfig config;
  config.flags = {OnFlag("f")};
  config.segments.push_back({"canary", {"acme"}, {}});
  ReleaseGate gate = Gate({"f"});
  gate.segments = {"canary", "missing-segment"};
  config.gates.push_back(gate);
  auto s = Build(config);
  EXPECT_TRUE(IsOn(s->Evaluate("f", Tenant("acme"))));
  EXPECT_EQ(s->Evaluate("f", Tenant("globex")).reason, Reason::kStaged);
  config.gates[0].everyone = true;
  s = Build(config);
  EXPECT_TRUE(IsOn(s->Evaluate("f", Tenant("globex"))));
}

// A percentage reaches about that share of tenants, the same tenants for
// every flag of the release, and a wider stage keeps them.
TEST(ReleaseGateTest, PercentageIsStableAndNested) {
  EnvironmentConfig config;
  config.flags = {OnFlag("a"), OnFlag("b")};
  ReleaseGate gate = Gate({"a", "b"});
  gate.percentage = 10;
  config.gates.push_back(gate);
  auto ten = Build(config);
  config.gates[0].percentage = 50;
  auto fifty = Build(config);
  int reached = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string key = "tenant-" + std::to_string(i);
    const bool a = IsOn(ten->Evaluate("a", Tenant(key)));
    EXPECT_EQ(a, IsOn(ten->Evaluate("b", Tenant(key)))) << key;
    if (a) {
      ++reached;
      EXPECT_TRUE(IsOn(fifty->Evaluate("a", Tenant(key)))) << key;
    }
  }
  EXPECT_GT(reached, 140);
  EXPECT_LT(reached, 260);
}

TEST(ReleaseGateTest, ClearanceGatesWhateverThePercentageSays) {
  EnvironmentConfig config;
  config.flags = {OnFlag("risky"), OnFlag("safe")};
  ReleaseGate gate = Gate({"risky", "safe"});
  gate.everyone = true;
  gate.cleared_flags = {"risky"};
  gate.cleared_tenants = {"acme"};
  gate.pending_approvals = {{"globex", "appr-7"}};
  config.gates.push_back(gate);
  auto s = Build(config);
  EXPECT_TRUE(IsOn(s->Evaluate("risky", Tenant("acme"))));
  EvaluationResult gated = s->Evaluate("risky", Tenant("globex"));
  EXPECT_EQ(gated.reason, Reason::kGated);
  EXPECT_FALSE(IsOn(gated));
  EXPECT_EQ(gated.gate_requirement, "approval");
  EXPECT_EQ(gated.gate_approval_id, "appr-7");
  EXPECT_EQ(s->Evaluate("risky", Tenant("initech")).gate_approval_id, "");
  // safe_for_all flags are not in cleared_flags: everyone has them.
  EXPECT_TRUE(IsOn(s->Evaluate("safe", Tenant("globex"))));
}

TEST(ReleaseGateTest, OptInRequiredStaysOffUntilOptedIn) {
  EnvironmentConfig config;
  config.flags = {OnFlag("beta")};
  ReleaseGate gate = Gate({"beta"});
  gate.everyone = true;
  gate.opt_ins = {{"beta", {"acme"}}};
  config.gates.push_back(gate);
  auto s = Build(config);
  EXPECT_TRUE(IsOn(s->Evaluate("beta", Tenant("acme"))));
  EvaluationResult r = s->Evaluate("beta", Tenant("globex"));
  EXPECT_EQ(r.reason, Reason::kGated);
  EXPECT_EQ(r.gate_requirement, "opt_in");
}

TEST(ReleaseGateTest, LimitsComeFirstAndUnknownFlagsAreSkipped) {
  EnvironmentConfig config;
  config.flags = {OnFlag("f")};
  ReleaseGate gate = Gate({"f", "not-defined-yet"});
  gate.tenants = {"acme"};
  config.gates.push_back(gate);
  config.limits.push_back(
      {"lim-1", LimitScope::kTenant, {"acme"}, {}, "incident", "sec"});
  auto s = Build(config);
  EvaluationResult r = s->Evaluate("f", Tenant("acme"));
  EXPECT_EQ(r.reason, Reason::kLimited);
  EXPECT_EQ(r.release_id, "");
  EXPECT_EQ(ReasonName(Reason::kGated), "GATED");
  EXPECT_EQ(ReasonName(Reason::kStaged), "STAGED");
}

}  // namespace
}  // namespace warden::eval
