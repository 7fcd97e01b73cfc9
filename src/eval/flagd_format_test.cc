// flagd compatibility: import errors, the flagd semantics table case by
// case (https://flagd.dev/reference/specifications/), fractional golden
// vectors (flagd's core/pkg/evaluator/fractional_test.go), round trip.
#include "eval/flagd_format.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "eval/murmur3.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

std::shared_ptr<const Snapshot> Load(const std::string& doc) {
  auto config = ImportFlagd(doc);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  if (!config.ok()) return nullptr;
  auto snapshot = SnapshotBuilder().Build(std::move(config).value());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  return snapshot.ok() ? *snapshot : nullptr;
}

std::string ImportError(const std::string& doc) {
  auto config = ImportFlagd(doc);
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : config.status().message();
}

EvaluationContext Ctx(std::string key, const char* attrs = "{}") {
  EvaluationContext ctx;
  ctx.targeting_key = std::move(key);
  ctx.attributes = boost::json::parse(attrs).as_object();
  return ctx;
}

const char* kColors = R"("variants": {"red": "#FF0000", "blue": "#0000FF",
    "green": "#00FF00", "yellow": "#FFFF00"}, "defaultVariant": "red")";

std::string ColorFlag(const std::string& key, const std::string& targeting) {
  return R"({"flags": {")" + key + R"(": {"state": "ENABLED", )" + kColors +
         R"(, "targeting": )" + targeting + "}}}";
}

// ---- import errors carry the JSON path ----

TEST(FlagdImportTest, UnknownOperationNamesItsPath) {
  std::string doc = ColorFlag(
      "checkout", R"({"if": [true, {"fractionl": [["red", 1]]}, null]})");
  EXPECT_EQ(ImportError(doc),
            "flags.checkout.targeting.if[1]: unknown operation \"fractionl\"");
}

TEST(FlagdImportTest, StructuralErrors) {
  EXPECT_EQ(ImportError("[1]"), "flagd document must be an object");
  EXPECT_NE(ImportError("{"), "");
  EXPECT_EQ(ImportError(R"({"flagz": {}})"), "flagz: unknown field");
  EXPECT_EQ(ImportError(R"({"flags": {"a": {"variants": {"x": 1}}}})"),
            "flags.a: missing \"state\"");
  EXPECT_EQ(
      ImportError(R"({"flags": {"a": {"state": "ON", "variants": {"x": 1}}}})"),
      "flags.a.state: must be \"ENABLED\" or \"DISABLED\"");
  EXPECT_EQ(ImportError(R"({"flags": {"a": {"state": "ENABLED",
                           "variants": {"x": 1, "y": "s"}}}})"),
            "flags.a.variants: variants must all be booleans, strings, "
            "numbers or objects");
  EXPECT_EQ(ImportError(R"({"flags": {"a": {"state": "ENABLED",
                           "variants": {"x": 1}, "defaultVariant": "z"}}})"),
            "flags.a.defaultVariant: unknown variant \"z\"");
  EXPECT_EQ(ImportError(R"({"flags": {"a": {"state": "ENABLED",
                           "variants": {"x": 1}, "colour": 1}}})"),
            "flags.a.colour: unknown field");
  EXPECT_EQ(
      ImportError(ColorFlag("f", R"({"if": [true, "red"], "and": []})")),
      "flags.f.targeting: an operation object has exactly one key, found 2");
}

// flagd substitutes each evaluator once; a cycle leaves a $ref behind,
// which flagd answers with PARSE_ERROR (see flagd_lenience_test.cc).
TEST(FlagdImportTest, CyclicRefAnswersParseError) {
  std::string doc = R"({"$evaluators": {"a": {"$ref": "b"}, "b": {"$ref": "a"}},
    "flags": {"f": {"state": "ENABLED", "variants": {"on": true},
    "targeting": {"$ref": "a"}}}})";
  auto s = Load(doc);
  ASSERT_NE(s, nullptr);
  auto r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.error_code, ErrorCode::kParseError);
  EXPECT_NE(r.error_message.find("refers to itself"), std::string::npos)
      << r.error_message;
}

TEST(FlagdImportTest, DepthLimit) {
  std::string deep = "true";
  for (int i = 0; i < 70; ++i) deep = R"({"!": )" + deep + "}";
  EXPECT_NE(ImportError(ColorFlag("f", deep)).find("nesting deeper than"),
            std::string::npos);
}

TEST(FlagdImportTest, InfersTypes) {
  auto config = ImportFlagd(R"({"flags": {
    "b": {"state": "ENABLED", "variants": {"on": true, "off": false}},
    "s": {"state": "ENABLED", "variants": {"a": "x"}},
    "i": {"state": "ENABLED", "variants": {"a": 1, "b": 2}},
    "f": {"state": "ENABLED", "variants": {"a": 1, "b": 2.5}},
    "o": {"state": "ENABLED", "variants": {"a": {"k": 1}}}}})");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  std::map<std::string, FlagType> types;
  for (const Flag& f : config->flags) types[f.key] = f.type;
  EXPECT_EQ(types["b"], FlagType::kBoolean);
  EXPECT_EQ(types["s"], FlagType::kString);
  EXPECT_EQ(types["i"], FlagType::kInteger);
  EXPECT_EQ(types["f"], FlagType::kFloat);
  EXPECT_EQ(types["o"], FlagType::kObject);
}

// ---- flagd evaluation semantics, case by case ----

TEST(FlagdSemanticsTest, DisabledFlagHasReasonDisabledAndNoValue) {
  auto s = Load(R"({"flags": {"f": {"state": "DISABLED",
      "variants": {"on": true, "off": false}, "defaultVariant": "on"}}})");
  auto r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.reason, Reason::kDisabled);
  EXPECT_EQ(r.value, nullptr);
  EXPECT_TRUE(r.ok());
}

TEST(FlagdSemanticsTest, NoTargetingIsStaticDefault) {
  auto s = Load(R"({"flags": {"f": {"state": "ENABLED",
      "variants": {"on": true, "off": false}, "defaultVariant": "on",
      "targeting": {}}}})");
  auto r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.reason, Reason::kStatic);
  EXPECT_EQ(r.variant, "on");
  ASSERT_NE(r.value, nullptr);
  EXPECT_EQ(*r.value, true);
}

TEST(FlagdSemanticsTest, NullResultGivesDefaultVariantWithDefault) {
  auto s = Load(ColorFlag("f", R"({"if": [false, "blue", null]})"));
  auto r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.reason, Reason::kDefault);
  EXPECT_EQ(r.variant, "red");
}

TEST(FlagdSemanticsTest, NullResultWithoutDefaultVariantGivesCodeDefault) {
  for (const char* def : {R"("defaultVariant": null,)", ""}) {
    auto s =
        Load(std::string(R"({"flags": {"f": {"state": "ENABLED", )") + def +
             R"("variants": {"a": "x"}, "targeting": {"if": [false, "a"]}}}})");
    auto r = s->Evaluate("f", Ctx("t"));
    EXPECT_EQ(r.reason, Reason::kDefault);
    EXPECT_EQ(r.value, nullptr);
    EXPECT_TRUE(r.ok());
  }
}

TEST(FlagdSemanticsTest, BooleanResultSelectsTrueFalseVariants) {
  auto s = Load(R"({"flags": {"f": {"state": "ENABLED",
      "variants": {"true": "yes", "false": "no"}, "defaultVariant": "false",
      "targeting": {"==": [{"var": "plan"}, "pro"]}}}})");
  auto r = s->Evaluate("f", Ctx("t", R"({"plan": "pro"})"));
  EXPECT_EQ(r.reason, Reason::kTargetingMatch);
  EXPECT_EQ(r.variant, "true");
  r = s->Evaluate("f", Ctx("t", R"({"plan": "free"})"));
  EXPECT_EQ(r.reason, Reason::kTargetingMatch);
  EXPECT_EQ(r.variant, "false");
}

TEST(FlagdSemanticsTest, StringNamingVariantIsTargetingMatch) {
  auto s =
      Load(ColorFlag("f", R"({"if": [{"in": ["@faas.com", {"var": "email"}]},
      "blue", "green"]})"));
  auto r = s->Evaluate("f", Ctx("t", R"({"email": "x@faas.com"})"));
  EXPECT_EQ(r.reason, Reason::kTargetingMatch);
  EXPECT_EQ(r.variant, "blue");
  EXPECT_EQ(*r.value, "#0000FF");
  EXPECT_EQ(s->Evaluate("f", Ctx("t")).variant, "green");
}

TEST(FlagdSemanticsTest, UnknownVariantOrOtherValueIsError) {
  auto s = Load(ColorFlag("f", R"({"if": [{"var": "x"}, "purple", 42]})"));
  auto r = s->Evaluate("f", Ctx("t", R"({"x": true})"));
  EXPECT_EQ(r.reason, Reason::kError);
  EXPECT_EQ(r.error_code, ErrorCode::kGeneral);
  EXPECT_EQ(r.value, nullptr);
  r = s->Evaluate("f", Ctx("t"));
  EXPECT_EQ(r.error_code, ErrorCode::kGeneral);
}

TEST(FlagdSemanticsTest, CustomOperationsReturnNullOnBadInputAndFallThrough) {
  auto s = Load(ColorFlag("f", R"({"if": [
      {"sem_ver": [{"var": "version"}, ">=", "1.2.0"]}, "blue",
      {"starts_with": [{"var": "email"}, "admin"]}, "green",
      {"ends_with": [{"var": "email"}, "@x.com"]}, "yellow", null]})"));
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"version": "1.3.0"})")).variant,
            "blue");
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"version": "banana",
      "email": "admin@y.com"})"))
                .variant,
            "green");
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"version": true,
      "email": "bob@x.com"})"))
                .variant,
            "yellow");
  auto r = s->Evaluate("f", Ctx("t", R"({"email": 12})"));
  EXPECT_EQ(r.reason, Reason::kDefault);
  EXPECT_EQ(r.variant, "red");
}

TEST(FlagdSemanticsTest, SemVerOperators) {
  auto s = Load(ColorFlag("f", R"({"if": [
      {"sem_ver": [{"var": "v"}, "^", "2.0.0"]}, "blue",
      {"sem_ver": [{"var": "v"}, "~", "1.4.0"]}, "green",
      {"sem_ver": [{"var": "v"}, "<", "1.0.0"]}, "yellow", null]})"));
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"v": "v2.9.1"})")).variant, "blue");
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"v": "1.4.9"})")).variant, "green");
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"v": "0.9.0-rc.1"})")).variant,
            "yellow");
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"v": "1.5.0"})")).reason,
            Reason::kDefault);
}

TEST(FlagdSemanticsTest, InjectedProperties) {
  auto s = Load(ColorFlag("flagkey-test", R"({"if": [
      {"==": [{"var": "$flagd.flagKey"}, "flagkey-test"]}, "blue", null]})"));
  EXPECT_EQ(s->Evaluate("flagkey-test", Ctx("t")).variant, "blue");
  s = Load(ColorFlag(
      "f", R"({"if": [{">": [{"var": "$flagd.timestamp"}, 1700000000]},
      "blue", "green"]})"));
  EvaluationContext ctx = Ctx("t");
  ctx.now = FromMicros(int64_t{1800000000} * 1000000);
  EXPECT_EQ(s->Evaluate("f", ctx).variant, "blue");
  ctx.now = FromMicros(int64_t{1600000000} * 1000000);
  EXPECT_EQ(s->Evaluate("f", ctx).variant, "green");
  s = Load(ColorFlag("f", R"({"if": [{"==": [{"var": "targetingKey"}, "acme"]},
      "blue", null]})"));
  EXPECT_EQ(s->Evaluate("f", Ctx("acme")).variant, "blue");
  EXPECT_EQ(s->Evaluate("f", Ctx("other")).variant, "red");
}

TEST(FlagdSemanticsTest, EvaluatorsRef) {
  auto s = Load(R"({"$evaluators": {"emailWithFaas": {"in": ["@faas.com",
      {"var": ["email"]}]}}, "flags": {"f": {"state": "ENABLED",
      "variants": {"on": true, "off": false}, "defaultVariant": "off",
      "targeting": {"if": [{"$ref": "emailWithFaas"}, "on", null]}}}})");
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"email": "a@faas.com"})")).variant,
            "on");
  EXPECT_EQ(s->Evaluate("f", Ctx("t", R"({"email": "a@b.com"})")).variant,
            "off");
}

TEST(FlagdSemanticsTest, MetadataMergesFlagOverFlagSet) {
  auto s = Load(R"({"metadata": {"flagSetId": "shop", "version": 1},
      "flags": {"f": {"state": "ENABLED", "variants": {"on": true},
      "defaultVariant": "on", "metadata": {"version": 2, "owner": "pay"}}}})");
  auto r = s->Evaluate("f", Ctx("t"));
  ASSERT_NE(r.metadata, nullptr);
  EXPECT_EQ(r.metadata->at("flagSetId"), "shop");
  EXPECT_EQ(r.metadata->at("version"), 2);
  EXPECT_EQ(r.metadata->at("owner"), "pay");
}

// ---- fractional golden vectors ----
// flagd's fractional_test.go cases (same flags, contexts and weights).
// Expected variants are those of the current v2 integer bucketing
// ((hash * totalWeight) >> 32), computed independently of this code; the
// LegacyBucketingReproducesFlagdPublishedVectors test below shows that the
// hash inputs equal flagd's, since the pre-v2 float formula applied to our
// hashes gives exactly the variants flagd's older test file publishes.

struct Golden {
  const char* flag_key;
  const char* targeting;
  const char* context;
  const char* variant;
  Reason reason;
};

TEST(FlagdFractionalTest, GoldenVectors) {
  const char* kCatKey = R"({"if": [{"in": ["@faas.com", {"var": ["email"]}]},
      {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "email"}]},
      ["red", 25], ["blue", 25], ["green", 25], ["yellow", 25]]}, null]})";
  const char* kSeeded = R"({"if": [{"in": ["@faas.com", {"var": ["email"]}]},
      {"fractional": [{"cat": ["my-seed", {"var": "email"}]},
      ["red", 25], ["blue", 25], ["green", 25], ["yellow", 25]]}, null]})";
  const char* kByEmail = R"({"fractional": [{"var": "email"},
      ["red", 25], ["blue", 25], ["green", 25], ["yellow", 25]]})";
  const Golden cases[] = {
      {"headerColor", kCatKey, R"({"email": "rachel@faas.com"})", "blue",
       Reason::kTargetingMatch},
      {"headerColor", kCatKey, R"({"email": "monica@faas.com"})", "yellow",
       Reason::kTargetingMatch},
      {"headerColor", kCatKey, R"({"email": "joey@faas.com"})", "red",
       Reason::kTargetingMatch},
      {"headerColor", kCatKey, R"({"email": "ross@faas.com"})", "blue",
       Reason::kTargetingMatch},
      {"customSeededHeaderColor", kSeeded, R"({"email": "rachel@faas.com"})",
       "green", Reason::kTargetingMatch},
      {"customSeededHeaderColor", kSeeded, R"({"email": "monica@faas.com"})",
       "red", Reason::kTargetingMatch},
      {"customSeededHeaderColor", kSeeded, R"({"email": "joey@faas.com"})",
       "blue", Reason::kTargetingMatch},
      {"customSeededHeaderColor", kSeeded, R"({"email": "ross@faas.com"})",
       "green", Reason::kTargetingMatch},
      {"footerColor", kByEmail, R"({"email": "ross@faas.com"})", "red",
       Reason::kTargetingMatch},
      {"headerColor", R"({"fractional": ["email", ["red", 50], ["blue", 25],
       ["green", 25]]})",
       R"({"email": "test4@faas.com"})", "green", Reason::kTargetingMatch},
      {"headerColor", kByEmail, "{}", "red", Reason::kDefault},
      {"headerColor", R"({"fractional": [{"var": "email"}, ["red", 25],
       ["blue", 25]]})",
       R"({"email": "foo@foo.com"})", "blue", Reason::kTargetingMatch},
      {"headerColor", R"({"fractional": [{"var": "email"}, ["red"],
       ["blue"]]})",
       R"({"email": "foo@foo.com"})", "blue", Reason::kTargetingMatch},
      {"headerColor", R"({"fractional": [["blue", 50], ["green", 50]]})",
       R"({"targetingKey": "foo@foo.com"})", "green", Reason::kTargetingMatch},
      {"headerColor", R"({"fractional": [{"var": "email"}, ["red", 50],
       ["blue", 50]]})",
       R"({"targetingKey": "foo@foo.com"})", "blue", Reason::kTargetingMatch},
  };
  for (const Golden& g : cases) {
    auto s = Load(ColorFlag(g.flag_key, g.targeting));
    ASSERT_NE(s, nullptr);
    EvaluationContext ctx = Ctx("", g.context);
    if (auto* key = ctx.attributes.if_contains("targetingKey")) {
      ctx.targeting_key = key->as_string();
      ctx.attributes.erase("targetingKey");
    }
    auto r = s->Evaluate(g.flag_key, ctx);
    EXPECT_EQ(r.variant, g.variant) << g.flag_key << " " << g.context;
    EXPECT_EQ(r.reason, g.reason) << g.flag_key << " " << g.context;
  }
}

// flagd before v2: bucket = |int32(hash)| / MaxInt32 * 100 against
// cumulative percentages.
std::string LegacyBucket(std::string_view key,
                         const std::vector<std::pair<std::string, int>>& w) {
  int32_t h = static_cast<int32_t>(Murmur3X86_32(key));
  double bucket = std::abs(static_cast<double>(h)) / 2147483647.0 * 100;
  double total = 0, end = 0;
  for (const auto& [v, weight] : w) total += weight;
  for (const auto& [v, weight] : w) {
    end += weight * 100 / total;
    if (bucket < end) return v;
  }
  return "";
}

TEST(FlagdFractionalTest, LegacyBucketingReproducesFlagdPublishedVectors) {
  std::vector<std::pair<std::string, int>> four = {
      {"red", 25}, {"blue", 25}, {"green", 25}, {"yellow", 25}};
  EXPECT_EQ(LegacyBucket("headerColorrachel@faas.com", four), "yellow");
  EXPECT_EQ(LegacyBucket("headerColormonica@faas.com", four), "blue");
  EXPECT_EQ(LegacyBucket("headerColorjoey@faas.com", four), "red");
  EXPECT_EQ(LegacyBucket("headerColorross@faas.com", four), "green");
  EXPECT_EQ(LegacyBucket("my-seedrachel@faas.com", four), "green");
  EXPECT_EQ(LegacyBucket("my-seedmonica@faas.com", four), "red");
  EXPECT_EQ(LegacyBucket("my-seedjoey@faas.com", four), "green");
  EXPECT_EQ(LegacyBucket("ross@faas.com", four), "red");
  EXPECT_EQ(
      LegacyBucket("headerColorfoo@foo.com", {{"blue", 50}, {"green", 50}}),
      "blue");
}

TEST(FlagdFractionalTest, DistributionIsRoughlyEven) {
  auto s =
      Load(ColorFlag("f", R"({"fractional": [["red", 25], ["blue", 75]]})"));
  int blue = 0;
  for (int i = 0; i < 4000; ++i) {
    blue +=
        s->Evaluate("f", Ctx("tenant-" + std::to_string(i))).variant == "blue";
  }
  EXPECT_GT(blue, 2800);
  EXPECT_LT(blue, 3200);
}

// ---- export -> import round trip ----

TEST(FlagdRoundTripTest, ExportThenImportIsIdentical) {
  const char* doc = R"({"$evaluators": {"e": {"==": [1, 1]}},
    "metadata": {"flagSetId": "s"},
    "flags": {
      "a": {"state": "ENABLED", "variants": {"on": true, "off": false},
            "defaultVariant": "off", "targeting": {"if": [{"$ref": "e"}, "on", null]},
            "metadata": {"owner": "team-a", "description": "d", "x": 1}},
      "b": {"state": "DISABLED", "variants": {"v": {"k": [1, 2]}},
            "defaultVariant": null}}})";
  auto first = ImportFlagd(doc);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto exported = ExportFlagd(*first);
  ASSERT_TRUE(exported.ok());
  auto second = ImportFlagd(*exported);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto again = ExportFlagd(*second);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(boost::json::parse(*exported), boost::json::parse(*again));
  EXPECT_EQ(second->flags[0].metadata.owner_team, "team-a");
  EXPECT_FALSE(second->flags[1].default_variant.has_value());
  EXPECT_EQ(boost::json::parse(*exported).at("flags").at("a").at("targeting"),
            boost::json::parse(doc).at("flags").at("a").at("targeting"));
}

}  // namespace
}  // namespace warden::eval

namespace warden::eval {
namespace {

// Differential: a native flag and its flagd export evaluate alike.
TEST(FlagdRoundTripTest, NativeRulesExportToEquivalentJsonLogic) {
  EnvironmentConfig config;
  Flag f;
  f.key = "checkout";
  f.variants = {{"on", true}, {"off", false}, {"killed", false}};
  f.default_variant = "off";
  f.off_variant = "killed";
  auto c = [](const char* a, ConditionOp op, const char* v) {
    return Condition{a, op, boost::json::parse(v)};
  };
  f.rules.push_back({{c("plan", ConditionOp::kEquals, R"("enterprise")"),
                      c("region", ConditionOp::kIn, R"(["eu", "us"])")},
                     "on"});
  f.rules.push_back({{c("email", ConditionOp::kEndsWith, R"("@corp.io")"),
                      c("app", ConditionOp::kSemverGe, R"("2.0.0")")},
                     "on"});
  f.rules.push_back(
      {{c("email", ConditionOp::kStartsWith, R"("blocked")")}, "off"});
  f.rollout = {{"on", 30}, {"off", 70}};
  config.flags.push_back(f);
  auto native = SnapshotBuilder().Build(config);
  ASSERT_TRUE(native.ok());
  auto exported = ExportFlagd(config);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  auto imported = ImportFlagd(*exported);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->flags[0].off_variant, "killed");
  auto logic = SnapshotBuilder().Build(std::move(imported).value());
  ASSERT_TRUE(logic.ok());
  const char* plans[] = {"enterprise", "pro"};
  const char* regions[] = {"eu", "apac"};
  const char* emails[] = {"a@corp.io", "blocked@x.io", "b@x.io"};
  const char* apps[] = {"2.1.0", "1.0.0", "junk"};
  int n = 0, split = 0;
  for (const char* plan : plans)
    for (const char* region : regions)
      for (const char* email : emails)
        for (const char* app : apps)
          for (int t = 0; t < 4; ++t) {
            EvaluationContext ctx;
            ctx.targeting_key = "tenant-" + std::to_string(n++);
            ctx.attributes = {{"plan", plan},
                              {"region", region},
                              {"email", email},
                              {"app", app}};
            auto a = (*native)->Evaluate("checkout", ctx);
            auto b = (*logic)->Evaluate("checkout", ctx);
            EXPECT_EQ(a.variant, b.variant) << ctx.targeting_key;
            split += a.reason == Reason::kSplit;
          }
  EXPECT_GT(split, 0);
  config.flags[0].rules.push_back(
      {{c("email", ConditionOp::kRegex, R"("x")")}, "on"});
  auto refused = ExportFlagd(config);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "flags.checkout.rules[3].conditions[0]: operator regex has no "
            "equivalent flagd form");
}

}  // namespace
}  // namespace warden::eval

namespace warden::eval {
namespace {

// offVariant is Warden's metadata, which flagd ignores: one naming no
// variant is a warning, not a refusal (flagd loads the file).
TEST(FlagdImportTest, UnknownOffVariantIsAWarning) {
  auto doc = ReadFlagd(R"({"flags": {"f": {"state": "ENABLED",
      "variants": {"on": true}, "metadata": {"offVariant": "gone"}}}})",
                       {}, {});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_FALSE(doc->config.flags[0].off_variant.has_value());
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_EQ(doc->warnings[0].path, "flags.f.metadata.offVariant");
  EXPECT_EQ(doc->warnings[0].message, "names no variant (\"gone\"): ignored");
}

}  // namespace
}  // namespace warden::eval

namespace warden::eval {
namespace {

// Every checked-in crash input of the flagd import fuzzer: import either
// fails cleanly, or export -> import and build succeed.
TEST(FlagdRegressionTest, FuzzerRegressionInputs) {
  const char* source = std::getenv("WARDEN_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::filesystem::path dir =
      std::filesystem::path(source) / "fuzz/regressions/flagd_import_fuzzer";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    ++files;
    auto config = ImportFlagd(text);
    if (!config.ok()) continue;
    auto exported = ExportFlagd(*config);
    ASSERT_TRUE(exported.ok()) << entry.path();
    auto again = ImportFlagd(*exported);
    EXPECT_TRUE(again.ok())
        << entry.path() << ": " << again.status().ToString();
    EXPECT_TRUE(SnapshotBuilder().Build(std::move(config).value()).ok());
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace warden::eval

namespace warden::eval {
namespace {

// Found by flagd_import_fuzzer: 1e40711 parsed to infinity, which export
// could not write back as JSON.
TEST(FlagdRegressionTest, OutOfRangeNumberIsRefusedWithItsPath) {
  auto config = ImportFlagd(R"({"flags": {"f": {"state": "ENABLED",
      "variants": {"a": 1}, "targeting": {"if": [true, "a", 1e40711]}}}})");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(),
            "flags.f.targeting.if[2]: number out of range");
}

}  // namespace
}  // namespace warden::eval
