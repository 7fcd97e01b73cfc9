// Native targeting: every operator, the evaluation order, exposure limits by
// each scope kind, validation error paths.
#include "eval/snapshot.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

namespace json = boost::json;

Flag BoolFlag(std::string key) {
  Flag f;
  f.key = std::move(key);
  f.type = FlagType::kBoolean;
  f.variants = {{"on", true}, {"off", false}};
  f.default_variant = "off";
  return f;
}

Condition Cond(std::string attr, ConditionOp op, const char* operand) {
  return {std::move(attr), op, json::parse(operand)};
}

EvaluationContext Ctx(std::string key, const char* attrs = "{}") {
  EvaluationContext ctx;
  ctx.targeting_key = std::move(key);
  ctx.attributes = json::parse(attrs).as_object();
  return ctx;
}

std::shared_ptr<const Snapshot> Build(EnvironmentConfig config) {
  auto s = SnapshotBuilder().Build(std::move(config));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : nullptr;
}

// One flag "f" with a single rule made of `c`: true when the rule matches.
bool Matches(const Condition& c, const EvaluationContext& ctx,
             std::vector<Segment> segments = {}) {
  EnvironmentConfig config;
  Flag f = BoolFlag("f");
  f.rules.push_back({{c}, "on"});
  config.flags.push_back(f);
  config.segments = std::move(segments);
  auto s = Build(std::move(config));
  auto r = s->Evaluate("f", ctx);
  EXPECT_TRUE(r.ok()) << r.error_message;
  return r.reason == Reason::kTargetingMatch;
}

TEST(OperatorTest, Equals) {
  EXPECT_TRUE(Matches(Cond("plan", ConditionOp::kEquals, R"("pro")"),
                      Ctx("t", R"({"plan": "pro"})")));
  EXPECT_FALSE(Matches(Cond("plan", ConditionOp::kEquals, R"("pro")"),
                       Ctx("t", R"({"plan": "free"})")));
  EXPECT_TRUE(Matches(Cond("seats", ConditionOp::kEquals, "10"),
                      Ctx("t", R"({"seats": 10.0})")));
  EXPECT_TRUE(Matches(Cond("a.b", ConditionOp::kEquals, "true"),
                      Ctx("t", R"({"a": {"b": true}})")));
  EXPECT_FALSE(
      Matches(Cond("plan", ConditionOp::kEquals, R"("pro")"), Ctx("t")));
}

TEST(OperatorTest, InAndNotIn) {
  auto in = Cond("region", ConditionOp::kIn, R"(["eu", "us", 3])");
  EXPECT_TRUE(Matches(in, Ctx("t", R"({"region": "eu"})")));
  EXPECT_TRUE(Matches(in, Ctx("t", R"({"region": 3})")));
  EXPECT_FALSE(Matches(in, Ctx("t", R"({"region": "apac"})")));
  auto not_in = Cond("region", ConditionOp::kNotIn, R"(["eu"])");
  EXPECT_TRUE(Matches(not_in, Ctx("t", R"({"region": "us"})")));
  EXPECT_FALSE(Matches(not_in, Ctx("t", R"({"region": "eu"})")));
  EXPECT_FALSE(Matches(not_in, Ctx("t")));  // missing attribute: false
  EXPECT_TRUE(Matches(Cond("targetingKey", ConditionOp::kIn, R"(["acme"])"),
                      Ctx("acme")));
}

TEST(OperatorTest, StringOperators) {
  auto ctx = Ctx("t", R"({"email": "ops@acme.io", "tags": ["beta", 7]})");
  EXPECT_TRUE(
      Matches(Cond("email", ConditionOp::kStartsWith, R"("ops@")"), ctx));
  EXPECT_FALSE(
      Matches(Cond("email", ConditionOp::kStartsWith, R"("dev@")"), ctx));
  EXPECT_TRUE(Matches(Cond("email", ConditionOp::kEndsWith, R"(".io")"), ctx));
  EXPECT_FALSE(
      Matches(Cond("email", ConditionOp::kEndsWith, R"(".com")"), ctx));
  EXPECT_TRUE(
      Matches(Cond("email", ConditionOp::kContains, R"("@acme")"), ctx));
  EXPECT_TRUE(Matches(Cond("tags", ConditionOp::kContains, R"("beta")"), ctx));
  EXPECT_TRUE(Matches(Cond("tags", ConditionOp::kContains, "7"), ctx));
  EXPECT_FALSE(Matches(Cond("tags", ConditionOp::kContains, R"("ga")"), ctx));
  EXPECT_TRUE(Matches(
      Cond("email", ConditionOp::kRegex, R"("^[a-z]+@acme\\.io$")"), ctx));
  EXPECT_FALSE(Matches(Cond("email", ConditionOp::kRegex, R"("^dev")"), ctx));
}

TEST(OperatorTest, NumericComparisons) {
  auto ctx = Ctx("t", R"({"seats": 50})");
  EXPECT_TRUE(Matches(Cond("seats", ConditionOp::kLt, "51"), ctx));
  EXPECT_FALSE(Matches(Cond("seats", ConditionOp::kLt, "50"), ctx));
  EXPECT_TRUE(Matches(Cond("seats", ConditionOp::kLe, "50"), ctx));
  EXPECT_TRUE(Matches(Cond("seats", ConditionOp::kGt, "49.5"), ctx));
  EXPECT_FALSE(Matches(Cond("seats", ConditionOp::kGt, "50"), ctx));
  EXPECT_TRUE(Matches(Cond("seats", ConditionOp::kGe, "50"), ctx));
  EXPECT_FALSE(Matches(Cond("seats", ConditionOp::kGe, "1"),
                       Ctx("t", R"({"seats": "50"})")));
}

TEST(OperatorTest, SemverComparisons) {
  auto ctx = Ctx("t", R"({"app": "2.4.1"})");
  EXPECT_TRUE(Matches(Cond("app", ConditionOp::kSemverEq, R"("v2.4.1")"), ctx));
  EXPECT_TRUE(Matches(Cond("app", ConditionOp::kSemverLt, R"("2.10.0")"), ctx));
  EXPECT_FALSE(Matches(Cond("app", ConditionOp::kSemverLt, R"("2.4.1")"), ctx));
  EXPECT_TRUE(Matches(Cond("app", ConditionOp::kSemverLe, R"("2.4.1")"), ctx));
  EXPECT_TRUE(
      Matches(Cond("app", ConditionOp::kSemverGt, R"("2.4.1-rc.1")"), ctx));
  EXPECT_TRUE(Matches(Cond("app", ConditionOp::kSemverGe, R"("2.4.1")"), ctx));
  EXPECT_FALSE(Matches(Cond("app", ConditionOp::kSemverGe, R"("1.0.0")"),
                       Ctx("t", R"({"app": "not-a-version"})")));
}

TEST(OperatorTest, DateBeforeAfter) {
  auto before =
      Cond("signup", ConditionOp::kBefore, R"("2025-01-01T00:00:00Z")");
  EXPECT_TRUE(
      Matches(before, Ctx("t", R"({"signup": "2024-12-31T23:59:59Z"})")));
  EXPECT_FALSE(
      Matches(before, Ctx("t", R"({"signup": "2025-06-01T00:00:00+02:00"})")));
  EXPECT_TRUE(Matches(before, Ctx("t", R"({"signup": 1700000000})")));
  auto after = Cond("signup", ConditionOp::kAfter, "1700000000");
  EXPECT_TRUE(
      Matches(after, Ctx("t", R"({"signup": "2024-01-01T00:00:00Z"})")));
  EXPECT_FALSE(Matches(after, Ctx("t", R"({"signup": "yesterday"})")));
}

TEST(OperatorTest, SegmentMembership) {
  Segment blocked{"blocked", {"evil", "bad"}, {}};
  Segment eu{"eu", {}, {Cond("region", ConditionOp::kEquals, R"("eu")")}};
  auto in_blocked = Cond("", ConditionOp::kInSegment, R"("blocked")");
  EXPECT_TRUE(Matches(in_blocked, Ctx("evil"), {blocked}));
  EXPECT_FALSE(Matches(in_blocked, Ctx("good"), {blocked}));
  auto not_in = Cond("", ConditionOp::kNotInSegment, R"("blocked")");
  EXPECT_TRUE(Matches(not_in, Ctx("good"), {blocked}));
  auto in_eu = Cond("", ConditionOp::kInSegment, R"("eu")");
  EXPECT_TRUE(Matches(in_eu, Ctx("t", R"({"region": "eu"})"), {eu}));
  EXPECT_FALSE(Matches(in_eu, Ctx("t", R"({"region": "us"})"), {eu}));
}

TEST(OperatorTest, TenantAttributesBackContextAttributes) {
  EnvironmentConfig config;
  Flag f = BoolFlag("f");
  f.rules.push_back(
      {{Cond("plan", ConditionOp::kEquals, R"("enterprise")")}, "on"});
  config.flags.push_back(f);
  config.tenants.push_back(
      {"acme",
       "alice",
       json::parse(R"({"plan": "enterprise"})").as_object(),
       {}});
  auto s = Build(std::move(config));
  EXPECT_EQ(s->Evaluate("f", Ctx("acme")).reason, Reason::kTargetingMatch);
  EXPECT_EQ(s->Evaluate("f", Ctx("acme", R"({"plan": "free"})")).reason,
            Reason::kDefault);
  EXPECT_EQ(s->Evaluate("f", Ctx("other")).reason, Reason::kDefault);
}

// A tenant-bound caller's context is a claim; the
// tenant's stored attributes win over it (segment rules behind a limit,
// native rules and JsonLogic alike), while unstored keys still come from it.
TEST(OperatorTest, StoredAttributesWinForTenantBoundCallers) {
  EnvironmentConfig config;
  Flag f = BoolFlag("f");
  f.default_variant = "on";
  config.flags.push_back(f);
  Flag plan = BoolFlag("plan-gate");
  plan.rules.push_back(
      {{Cond("plan", ConditionOp::kEquals, R"("enterprise")")}, "on"});
  config.flags.push_back(plan);
  config.tenants.push_back(
      {"acme",
       "alice",
       json::parse(R"({"region": "eu", "plan": "free"})").as_object(),
       {}});
  config.segments.push_back(
      {"eu", {}, {Cond("region", ConditionOp::kEquals, R"("eu")")}});
  config.limits.push_back(
      {"lim-eu", LimitScope::kSegment, {"eu"}, {"f"}, "eu outage", "sec"});
  auto s = Build(std::move(config));
  EvaluationContext claimed =
      Ctx("acme", R"({"region": "us", "plan": "enterprise", "device": "ios"})");
  // Server-side callers: the context wins (documented precedence).
  EXPECT_EQ(s->Evaluate("f", claimed).reason, Reason::kStatic);
  EXPECT_EQ(s->Evaluate("plan-gate", claimed).reason, Reason::kTargetingMatch);
  claimed.stored_attributes_first = true;
  EXPECT_EQ(s->Evaluate("f", claimed).reason, Reason::kLimited);
  EXPECT_EQ(s->Evaluate("plan-gate", claimed).reason, Reason::kDefault);

  EnvironmentConfig logic;
  Flag jl = BoolFlag("jl");
  jl.json_logic = json::parse(
      R"({"if": [{"and": [{"==": [{"var": "plan"}, "enterprise"]},
                          {"==": [{"var": "device"}, "ios"]}]}, "on", "off"]})");
  logic.flags.push_back(jl);
  logic.tenants.push_back(
      {"acme", "alice", json::parse(R"({"plan": "free"})").as_object(), {}});
  auto t = Build(std::move(logic));
  claimed.stored_attributes_first = false;
  EXPECT_EQ(*t->Evaluate("jl", claimed).value, json::value(true));
  claimed.stored_attributes_first = true;
  EXPECT_EQ(*t->Evaluate("jl", claimed).value, json::value(false));
  claimed.targeting_key = "unregistered";  // nothing stored: the context
  EXPECT_EQ(*t->Evaluate("jl", claimed).value, json::value(true));
}

// ---- evaluation order ----

EnvironmentConfig OrderConfig() {
  EnvironmentConfig config;
  Flag f = BoolFlag("f");
  f.variants.push_back({"killed", false});
  f.off_variant = "killed";
  f.rules.push_back({{Cond("vip", ConditionOp::kEquals, "true")}, "on"});
  f.rollout = {{"on", 1}, {"off", 0}};  // everybody else: SPLIT on
  config.flags.push_back(f);
  return config;
}

TEST(EvaluationOrderTest, RulesThenRolloutThenDefault) {
  auto s = Build(OrderConfig());
  auto r = s->Evaluate("f", Ctx("t", R"({"vip": true})"));
  EXPECT_EQ(r.reason, Reason::kTargetingMatch);
  EXPECT_EQ(r.variant, "on");
  r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.reason, Reason::kSplit);
  EXPECT_EQ(r.variant, "on");
  r = s->Evaluate("f", Ctx(""));
  EXPECT_EQ(r.error_code, ErrorCode::kTargetingKeyMissing);

  EnvironmentConfig config = OrderConfig();
  config.flags[0].rollout.clear();
  s = Build(config);
  r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.reason, Reason::kDefault);
  EXPECT_EQ(r.variant, "off");
  config.flags[0].rules.clear();
  s = Build(config);
  EXPECT_EQ(s->Evaluate("f", Ctx("t")).reason, Reason::kStatic);
}

TEST(EvaluationOrderTest, LimitBeatsRulesAndDisabledBeatsLimit) {
  EnvironmentConfig config = OrderConfig();
  config.limits.push_back(
      {"lim-1", LimitScope::kTenant, {"t"}, {}, "incident", "bob"});
  auto s = Build(config);
  auto r = s->Evaluate("f", Ctx("t", R"({"vip": true})"));
  EXPECT_EQ(r.reason, Reason::kLimited);
  EXPECT_EQ(r.variant, "killed");  // the declared off variant
  EXPECT_EQ(r.limit_id, "lim-1");
  EXPECT_EQ(s->Evaluate("f", Ctx("u", R"({"vip": true})")).reason,
            Reason::kTargetingMatch);
  config.flags[0].state = FlagState::kDisabled;
  s = Build(config);
  r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.reason, Reason::kDisabled);
  EXPECT_EQ(r.value, nullptr);
}

// A limited boolean flag is off even when its default
// variant is "on" (more cases in off_variant_test.cc).
TEST(EvaluationOrderTest, LimitedBooleanWithoutOffVariantIsFalse) {
  EnvironmentConfig config;
  config.flags.push_back(BoolFlag("f"));
  config.flags[0].default_variant = "on";
  config.limits.push_back({"l", LimitScope::kFlags, {}, {"f"}, "", ""});
  auto s = Build(config);  // results point into the snapshot: keep it
  auto r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.reason, Reason::kLimited);
  EXPECT_EQ(r.variant, "off");
  ASSERT_NE(r.value, nullptr);
  EXPECT_EQ(*r.value, false);
}

TEST(EvaluationOrderTest, NotFoundAndTypeMismatch) {
  EnvironmentConfig config;
  config.flags.push_back(BoolFlag("f"));
  Flag n;
  n.key = "n";
  n.type = FlagType::kInteger;
  n.variants = {{"one", 1}};
  n.default_variant = "one";
  config.flags.push_back(n);
  auto s = Build(config);
  EXPECT_EQ(s->Evaluate("missing", Ctx("t")).error_code,
            ErrorCode::kFlagNotFound);
  EXPECT_EQ(s->Evaluate("f", Ctx("t"), FlagType::kString).error_code,
            ErrorCode::kTypeMismatch);
  EXPECT_TRUE(s->Evaluate("n", Ctx("t"), FlagType::kFloat).ok());
  EXPECT_TRUE(s->Evaluate("f", Ctx("t"), FlagType::kBoolean).ok());
}

// ---- exposure limits by scope ----

EnvironmentConfig LimitConfig(ExposureLimit limit) {
  EnvironmentConfig config;
  Flag f = BoolFlag("f");
  f.default_variant = "on";
  config.flags.push_back(f);
  config.flags.push_back(BoolFlag("g"));
  config.tenants.push_back({"acme", "alice", {}, {"slack", "jira"}});
  config.tenants.push_back({"globex", "bob", {}, {"github"}});
  config.segments.push_back({"canary", {"globex"}, {}});
  config.limits.push_back(std::move(limit));
  return config;
}

Reason ReasonFor(const EnvironmentConfig& config, EvaluationContext ctx,
                 const char* flag = "f") {
  return Build(config)->Evaluate(flag, ctx).reason;
}

TEST(ExposureLimitTest, EachScopeKind) {
  auto tenant =
      LimitConfig({"l", LimitScope::kTenant, {"acme"}, {"f"}, "", ""});
  EXPECT_EQ(ReasonFor(tenant, Ctx("acme")), Reason::kLimited);
  EXPECT_EQ(ReasonFor(tenant, Ctx("globex")), Reason::kStatic);
  EXPECT_EQ(ReasonFor(tenant, Ctx("acme"), "g"),
            Reason::kStatic);  // not covered

  auto integration =
      LimitConfig({"l", LimitScope::kIntegration, {"slack"}, {}, "", ""});
  EXPECT_EQ(ReasonFor(integration, Ctx("acme")), Reason::kLimited);
  EXPECT_EQ(ReasonFor(integration, Ctx("acme"), "g"),
            Reason::kLimited);  // all flags
  EXPECT_EQ(ReasonFor(integration, Ctx("globex")), Reason::kStatic);
  EXPECT_EQ(ReasonFor(integration, Ctx("x", R"({"integration": "slack"})")),
            Reason::kLimited);

  auto owner =
      LimitConfig({"l", LimitScope::kAccountOwner, {"bob"}, {}, "", ""});
  EXPECT_EQ(ReasonFor(owner, Ctx("globex")), Reason::kLimited);
  EXPECT_EQ(ReasonFor(owner, Ctx("acme")), Reason::kStatic);

  auto segment =
      LimitConfig({"l", LimitScope::kSegment, {"canary"}, {}, "", ""});
  EXPECT_EQ(ReasonFor(segment, Ctx("globex")), Reason::kLimited);
  EXPECT_EQ(ReasonFor(segment, Ctx("acme")), Reason::kStatic);

  auto flags = LimitConfig({"l", LimitScope::kFlags, {}, {"g"}, "", ""});
  EXPECT_EQ(ReasonFor(flags, Ctx("acme"), "g"), Reason::kLimited);
  EXPECT_EQ(ReasonFor(flags, Ctx("acme"), "f"), Reason::kStatic);
}

// ---- validation names the path ----

std::string BuildError(EnvironmentConfig config) {
  auto s = SnapshotBuilder().Build(std::move(config));
  EXPECT_FALSE(s.ok());
  return s.ok() ? "" : s.status().message();
}

TEST(SnapshotBuilderTest, ErrorsNameThePath) {
  EnvironmentConfig config;
  config.flags.push_back(BoolFlag("checkout"));
  config.flags[0].rules.push_back({{Cond("a", ConditionOp::kEquals, "1"),
                                    Cond("e", ConditionOp::kRegex, R"("(")")},
                                   "on"});
  EXPECT_EQ(
      BuildError(config).rfind(
          "flags.checkout.rules[0].conditions[1]: regex invalid pattern", 0),
      0u);
  config.flags[0].rules = {{{}, "purple"}};
  EXPECT_EQ(BuildError(config),
            "flags.checkout.rules[0].variant: unknown variant \"purple\"");
  config.flags[0].rules.clear();
  config.flags[0].variants[0].value = "yes";
  EXPECT_EQ(
      BuildError(config),
      "flags.checkout.variants.on: value is not of the flag's type boolean");
  config.flags[0].variants[0].value = true;
  config.flags[0].bucketing = "md5-v0";
  EXPECT_EQ(BuildError(config),
            "flags.checkout.bucketing: unsupported algorithm \"md5-v0\"");
  config.flags[0].bucketing = std::string(kBucketingFlagdFractionalV2);
  config.limits.push_back({"k", LimitScope::kSegment, {"eu"}, {}, "", ""});
  EXPECT_EQ(BuildError(config), "limits[0] (k): unknown segment \"eu\"");
  config.limits.clear();
  config.flags[0].rules = {
      {{Cond("", ConditionOp::kInSegment, R"("nope")")}, "on"}};
  EXPECT_EQ(BuildError(config),
            "flags.checkout.rules[0].conditions[0]: in_segment unknown segment "
            "\"nope\"");
  config.flags[0].rules = {
      {{Cond("e", ConditionOp::kRegex,
             ("\"" + std::string(2000, 'a') + "\"").c_str())},
       "on"}};
  EXPECT_NE(BuildError(config).find("pattern longer than"), std::string::npos);
  config.flags[0].rules.clear();
  config.flags.push_back(BoolFlag("checkout"));
  EXPECT_EQ(BuildError(config), "flags.checkout: duplicate flag key");
}

}  // namespace
}  // namespace warden::eval
