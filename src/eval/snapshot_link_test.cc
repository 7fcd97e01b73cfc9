// Linking a snapshot from a previous one's sections: the unchanged tenant
// and segment tables are shared (the same objects), and every partial
// rebuild (tenants, segments, flags, limits, gates replaced) evaluates
// exactly as a whole build of the same configuration.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "eval/snapshot.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

namespace json = boost::json;

Tenant MakeTenant(int i) {
  Tenant t;
  t.key = "t" + std::to_string(i);
  t.account_manager = i % 2 == 0 ? "bob" : "alice";
  t.attributes = json::parse(i % 3 == 0 ? R"({"plan": "enterprise"})"
                                        : R"({"plan": "team"})")
                     .as_object();
  if (i == 4) t.integrations = {"slack"};
  return t;
}

Flag BoolFlag(std::string key) {
  Flag f;
  f.key = std::move(key);
  f.variants = {{"on", true}, {"off", false}};
  f.default_variant = "off";
  return f;
}

// Ten tenants, a segment by list and one by rule, flags that read both and
// the tenants' stored attributes, and limits of several scopes.
EnvironmentConfig BaseConfig() {
  EnvironmentConfig config;
  for (int i = 0; i < 10; ++i) config.tenants.push_back(MakeTenant(i));
  config.segments.push_back({"vip", {"t1", "t2", "t7"}, {}});
  config.segments.push_back(
      {"big", {}, {{"plan", ConditionOp::kEquals, json::parse(R"("team")")}}});
  Flag in_vip = BoolFlag("in-vip");
  in_vip.rules.push_back(
      {{{"", ConditionOp::kInSegment, json::parse(R"("vip")")}}, "on"});
  config.flags.push_back(in_vip);
  Flag enterprise = BoolFlag("enterprise");
  enterprise.rules.push_back(
      {{{"plan", ConditionOp::kEquals, json::parse(R"("enterprise")")}}, "on"});
  config.flags.push_back(enterprise);
  Flag rollout = BoolFlag("rollout");
  rollout.rollout = {{"on", 50}, {"off", 50}};
  config.flags.push_back(rollout);
  config.limits.push_back(
      {"kill-big", LimitScope::kSegment, {"big"}, {"enterprise"}, "", ""});
  config.limits.push_back(
      {"kill-t3", LimitScope::kTenant, {"t3"}, {}, "r", "a"});
  return config;
}

std::shared_ptr<const Snapshot> Build(EnvironmentConfig config) {
  auto built = SnapshotBuilder().Build(std::move(config), 1);
  EXPECT_TRUE(built.ok()) << built.status().ToString();
  return built.ok() ? *built : nullptr;
}

std::shared_ptr<const Snapshot> Link(SnapshotSections sections) {
  auto linked = SnapshotBuilder().Link(std::move(sections), 2);
  EXPECT_TRUE(linked.ok()) << linked.status().ToString();
  return linked.ok() ? *linked : nullptr;
}

// Every flag of either snapshot, for registered and unknown tenants.
void ExpectSameResults(const Snapshot& a, const Snapshot& b) {
  std::vector<std::string_view> keys = a.FlagKeys();
  ASSERT_EQ(keys, b.FlagKeys());
  for (int i = 0; i < 12; ++i) {
    EvaluationContext ctx;
    ctx.targeting_key = "t" + std::to_string(i);
    for (std::string_view key : keys) {
      SCOPED_TRACE(std::string(key) + " for " + ctx.targeting_key);
      EvaluationResult x = a.Evaluate(key, ctx);
      EvaluationResult y = b.Evaluate(key, ctx);
      EXPECT_EQ(x.reason, y.reason);
      EXPECT_EQ(x.variant, y.variant);
      EXPECT_EQ(x.limit_id, y.limit_id);
      EXPECT_EQ(x.error_code, y.error_code);
      ASSERT_EQ(x.value == nullptr, y.value == nullptr);
      if (x.value != nullptr) EXPECT_EQ(*x.value, *y.value);
    }
  }
}

TEST(SnapshotLinkTest, LimitChangeSharesTenantAndSegmentTables) {
  auto base = Build(BaseConfig());
  SnapshotSections next = base->sections();
  EnvironmentConfig changed = BaseConfig();
  changed.limits.push_back(
      {"kill-all", LimitScope::kFlags, {}, {"rollout"}, "", ""});
  next.limits =
      std::make_shared<const std::vector<ExposureLimit>>(changed.limits);
  auto linked = Link(next);
  EXPECT_EQ(linked->sections().tenants.get(), base->sections().tenants.get());
  EXPECT_EQ(linked->sections().segments.get(), base->sections().segments.get());
  EXPECT_EQ(linked->sections().flags.get(), base->sections().flags.get());
  EXPECT_NE(linked->sections().limits.get(), base->sections().limits.get());
  EXPECT_EQ(linked->version(), 2u);
  ExpectSameResults(*linked, *Build(changed));
  EvaluationContext ctx;
  ctx.targeting_key = "t5";
  EXPECT_EQ(linked->Evaluate("rollout", ctx).limit_id, "kill-all");
  EXPECT_NE(base->Evaluate("rollout", ctx).reason, Reason::kLimited);
}

TEST(SnapshotLinkTest, TheBaseStaysValidAfterItsSectionsAreReplaced) {
  auto base = Build(BaseConfig());
  SnapshotSections next = base->sections();
  next.limits = std::make_shared<const std::vector<ExposureLimit>>();
  auto linked = Link(next);
  base.reset();  // the linked snapshot holds the shared tables alone
  ExpectSameResults(*linked, *Link(linked->sections()));
  EvaluationContext ctx;
  ctx.targeting_key = "t3";
  EXPECT_EQ(linked->Evaluate("in-vip", ctx).reason, Reason::kDefault);
  EXPECT_NE(linked->FindTenant("t3"), nullptr);
}

TEST(SnapshotLinkTest, TenantChangeRebuildsTheTenantTableOnly) {
  auto base = Build(BaseConfig());
  EnvironmentConfig changed = BaseConfig();
  changed.tenants[1].attributes["plan"] = "enterprise";  // t1 now enterprise
  changed.tenants.push_back(MakeTenant(10));
  changed.tenants.back().attributes["plan"] = "enterprise";
  SnapshotSections next = base->sections();
  auto tenants = SnapshotBuilder().CompileTenants(changed.tenants);
  ASSERT_TRUE(tenants.ok());
  next.tenants = *tenants;
  auto linked = Link(next);
  EXPECT_NE(linked->sections().tenants.get(), base->sections().tenants.get());
  EXPECT_EQ(linked->sections().segments.get(), base->sections().segments.get());
  ExpectSameResults(*linked, *Build(changed));
  EvaluationContext ctx;
  ctx.targeting_key = "t1";
  EXPECT_EQ(linked->Evaluate("enterprise", ctx).limit_id, "");
  EXPECT_EQ(linked->Evaluate("enterprise", ctx).reason,
            Reason::kTargetingMatch);
}

TEST(SnapshotLinkTest, SegmentChangeRecompilesWhatPointsIntoSegments) {
  auto base = Build(BaseConfig());
  EnvironmentConfig changed = BaseConfig();
  changed.segments[0].tenant_keys = {"t5"};
  SnapshotSections next = base->sections();
  auto segments = SnapshotBuilder().CompileSegments(changed.segments);
  ASSERT_TRUE(segments.ok());
  next.segments = *segments;
  auto linked = Link(next);
  EXPECT_EQ(linked->sections().tenants.get(), base->sections().tenants.get());
  EXPECT_NE(linked->sections().segments.get(), base->sections().segments.get());
  ExpectSameResults(*linked, *Build(changed));
  EvaluationContext ctx;
  ctx.targeting_key = "t5";
  EXPECT_EQ(linked->Evaluate("in-vip", ctx).reason, Reason::kTargetingMatch);
  ctx.targeting_key = "t1";
  EXPECT_EQ(linked->Evaluate("in-vip", ctx).reason, Reason::kDefault);
}

TEST(SnapshotLinkTest, FlagChangeSharesTheTables) {
  auto base = Build(BaseConfig());
  EnvironmentConfig changed = BaseConfig();
  changed.flags[0].state = FlagState::kDisabled;
  changed.flags.push_back(BoolFlag("new"));
  changed.metadata["team"] = "platform";
  SnapshotSections next = base->sections();
  next.flags = std::make_shared<const FlagSet>(
      FlagSet{changed.flags, changed.evaluators, changed.metadata});
  auto linked = Link(next);
  EXPECT_EQ(linked->sections().tenants.get(), base->sections().tenants.get());
  EXPECT_EQ(linked->sections().segments.get(), base->sections().segments.get());
  ExpectSameResults(*linked, *Build(changed));
  EXPECT_EQ(linked->flag_count(), 4u);
  EvaluationContext ctx;
  EXPECT_EQ(linked->Evaluate("new", ctx).metadata->at("team"), "platform");
}

TEST(SnapshotLinkTest, GateChangeSharesTheTables) {
  auto base = Build(BaseConfig());
  EnvironmentConfig changed = BaseConfig();
  ReleaseGate gate;
  gate.release_id = "r1";
  gate.stage = "pilot";
  gate.flag_keys = {"in-vip"};
  gate.segments = {"vip"};
  changed.gates.push_back(gate);
  SnapshotSections next = base->sections();
  next.gates = std::make_shared<const std::vector<ReleaseGate>>(changed.gates);
  auto linked = Link(next);
  EXPECT_EQ(linked->sections().segments.get(), base->sections().segments.get());
  ExpectSameResults(*linked, *Build(changed));
}

TEST(SnapshotLinkTest, LinkValidatesAgainstTheSharedSegments) {
  auto base = Build(BaseConfig());
  SnapshotSections next = base->sections();
  next.limits = std::make_shared<const std::vector<ExposureLimit>>(
      std::vector<ExposureLimit>{
          {"l", LimitScope::kSegment, {"nope"}, {}, "", ""}});
  auto linked = SnapshotBuilder().Link(next);
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.status().message(),
            "limits[0] (l): unknown segment \"nope\"");
}

TEST(SnapshotLinkTest, TableErrorsNameTheFirstOffender) {
  std::vector<Tenant> tenants = {MakeTenant(1), MakeTenant(2), MakeTenant(1),
                                 Tenant{}};
  auto dup = SnapshotBuilder().CompileTenants(tenants);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "tenants[2]: duplicate tenant \"t1\"");
  tenants[2].key = "";
  auto empty = SnapshotBuilder().CompileTenants(tenants);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "tenants[2]: empty key");
  auto segments = SnapshotBuilder().CompileSegments(
      {{"a", {}, {}}, {"b", {}, {}}, {"a", {}, {}}});
  ASSERT_FALSE(segments.ok());
  EXPECT_EQ(segments.status().message(), "segments[2]: empty or duplicate key");
}

TEST(SnapshotLinkTest, NullSectionsLinkAsEmpty) {
  auto linked = Link(SnapshotSections{});
  EXPECT_EQ(linked->flag_count(), 0u);
  EXPECT_EQ(linked->FindTenant("t1"), nullptr);
  EXPECT_TRUE(linked->sections().tenants->tenants().empty());
  EXPECT_TRUE(linked->sections().limits->empty());
}

}  // namespace
}  // namespace warden::eval
