// A limit means off: what each kind of flag serves under
// an exposure limit, the creation rule, inference for flagd files, and the
// same through a built snapshot (what OFREP, the stream's SDKs and
// in-process evaluation all answer).
#include "eval/off_variant.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "eval/flagd_format.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

namespace json = boost::json;

Flag Make(FlagType type, const char* variants,
          std::optional<std::string> default_variant,
          std::optional<std::string> off_variant = std::nullopt) {
  Flag flag;
  flag.key = "f";
  flag.type = type;
  const json::value parsed = json::parse(variants);
  for (const auto& [name, value] : parsed.as_object()) {
    flag.variants.push_back({std::string(name), value});
  }
  flag.default_variant = std::move(default_variant);
  flag.off_variant = std::move(off_variant);
  return flag;
}

// Evaluates `flag` under a flags-scoped limit.
struct Limited {
  std::string variant;
  std::string value;  // serialized; "" for no value
  Reason reason;
};

Limited EvaluateLimited(Flag flag) {
  EnvironmentConfig config;
  config.flags.push_back(std::move(flag));
  config.limits.push_back({"kill", LimitScope::kFlags, {}, {"f"}, "", ""});
  auto built = SnapshotBuilder().Build(std::move(config));
  EXPECT_TRUE(built.ok()) << built.status().ToString();
  if (!built.ok()) return {};
  EvaluationContext ctx;
  ctx.targeting_key = "acme";
  EvaluationResult r = (*built)->Evaluate("f", ctx);
  EXPECT_EQ(r.limit_id, "kill");
  return {std::string(r.variant),
          r.value ? json::serialize(*r.value) : std::string(), r.reason};
}

TEST(OffVariantTest, LimitedBooleanIsFalseWhateverItsDefault) {
  // The usual state of a feature rolled out to everyone: default "on".
  Limited r = EvaluateLimited(
      Make(FlagType::kBoolean, R"({"on": true, "off": false})", "on"));
  EXPECT_EQ(r.reason, Reason::kLimited);
  EXPECT_EQ(r.value, "false");
  EXPECT_EQ(r.variant, "off");
  // A declared false off variant is the one served.
  r = EvaluateLimited(Make(FlagType::kBoolean,
                           R"({"on": true, "off": false, "killed": false})",
                           "on", "killed"));
  EXPECT_EQ(r.variant, "killed");
  // A true "off variant" cannot make a limit serve true.
  r = EvaluateLimited(
      Make(FlagType::kBoolean, R"({"on": true, "off": false})", "on", "on"));
  EXPECT_EQ(r.value, "false");
  EXPECT_EQ(r.variant, "off");
  // No false variant at all: the value false, without a variant name; and
  // likewise without a default variant.
  r = EvaluateLimited(Make(FlagType::kBoolean, R"({"on": true})", "on"));
  EXPECT_EQ(r.value, "false");
  EXPECT_EQ(r.variant, "");
  r = EvaluateLimited(
      Make(FlagType::kBoolean, R"({"yes": true, "no": false})", std::nullopt));
  EXPECT_EQ(r.value, "false");
  EXPECT_EQ(r.variant, "no");
}

TEST(OffVariantTest, LimitedNonBooleanServesItsOffVariantElseDefault) {
  Limited r = EvaluateLimited(
      Make(FlagType::kString, R"({"red": "r", "none": ""})", "red", "none"));
  EXPECT_EQ(r.reason, Reason::kLimited);
  EXPECT_EQ(r.variant, "none");
  r = EvaluateLimited(
      Make(FlagType::kString, R"({"red": "r", "blue": "b"})", "red"));
  EXPECT_EQ(r.reason, Reason::kLimited);
  EXPECT_EQ(r.variant, "red");
  r = EvaluateLimited(
      Make(FlagType::kInteger, R"({"one": 1, "two": 2})", std::nullopt));
  EXPECT_EQ(r.reason, Reason::kLimited);
  EXPECT_EQ(r.value, "");
}

TEST(OffVariantTest, ResolveSaysWhatIsNotTurnedOff) {
  EXPECT_TRUE(
      ResolveLimitedServe(Make(FlagType::kBoolean, R"({"on": true})", "on"))
          .turned_off);
  LimitedServe s = ResolveLimitedServe(
      Make(FlagType::kString, R"({"red": "r", "blue": "b"})", "red"));
  EXPECT_FALSE(s.turned_off);
  EXPECT_EQ(s.why,
            "string flag without an off variant: serves its default variant "
            "\"red\" with reason LIMITED");
  s = ResolveLimitedServe(
      Make(FlagType::kObject, R"({"a": {}, "b": {"k": 1}})", std::nullopt));
  EXPECT_FALSE(s.turned_off);
  EXPECT_EQ(s.why,
            "object flag without an off variant or default variant: serves "
            "no value (the caller's code default) with reason LIMITED");
}

TEST(OffVariantTest, CreationRule) {
  EXPECT_TRUE(
      CheckOffVariant(Make(FlagType::kBoolean, R"({"on": true})", "on")).ok());
  Status missing =
      CheckOffVariant(Make(FlagType::kString, R"({"red": "r"})", "red"));
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.problem(), "off-variant-required");
  EXPECT_EQ(missing.message(),
            "off_variant: a string flag needs the variant it serves while an "
            "exposure limit covers it (a limit means off)");
  EXPECT_TRUE(
      CheckOffVariant(Make(FlagType::kString, R"({"red": "r"})", "red", "red"))
          .ok());
  Status true_off = CheckOffVariant(
      Make(FlagType::kBoolean, R"({"on": true, "off": false})", "on", "on"));
  EXPECT_EQ(true_off.problem(), "invalid-value");
}

TEST(OffVariantTest, InferenceTakesOnlyUnambiguousCandidates) {
  auto infer = [](FlagType type, const char* variants) {
    std::vector<std::string> candidates;
    std::optional<std::string> off =
        InferOffVariant(Make(type, variants, std::nullopt), &candidates);
    std::string out = off ? *off : "-";
    for (const std::string& c : candidates) out += " " + c;
    return out;
  };
  EXPECT_EQ(infer(FlagType::kString, R"({"On": "x", "OFF": "y"})"), "OFF");
  EXPECT_EQ(infer(FlagType::kString, R"({"a": "x", "b": "Off"})"), "b");
  EXPECT_EQ(infer(FlagType::kString, R"({"a": "x", "b": ""})"), "b");
  EXPECT_EQ(infer(FlagType::kInteger, R"({"one": 1, "zero": 0})"), "zero");
  EXPECT_EQ(infer(FlagType::kFloat, R"({"half": 0.5, "none": 0.0})"), "none");
  EXPECT_EQ(infer(FlagType::kObject, R"({"full": {"k": 1}, "empty": {}})"),
            "empty");
  // A name beats values; ties are not guessed.
  EXPECT_EQ(infer(FlagType::kString, R"({"off": "x", "b": ""})"), "off");
  EXPECT_EQ(infer(FlagType::kString, R"({"a": "", "b": "off"})"), "- a b");
  EXPECT_EQ(infer(FlagType::kString, R"({"red": "r", "blue": "b"})"), "-");
}

TEST(OffVariantTest, FlagdImportInfersOrWarnsWithThePath) {
  auto doc = ReadFlagd(R"({"flags": {
      "inferred": {"state": "ENABLED", "variants": {"small": 10, "zero": 0},
                   "defaultVariant": "small"},
      "declared": {"state": "ENABLED", "variants": {"a": "x", "b": "y"},
                   "defaultVariant": "a", "metadata": {"offVariant": "b"}},
      "colors": {"state": "ENABLED", "variants": {"red": "r", "blue": "b"},
                 "defaultVariant": "red"},
      "tied": {"state": "ENABLED", "variants": {"a": "", "b": "off"},
               "defaultVariant": "a"},
      "bool": {"state": "ENABLED", "variants": {"on": true, "off": false},
               "defaultVariant": "on", "metadata": {"offVariant": "on"}}}})",
                       {}, {});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const auto& flags = doc->config.flags;
  ASSERT_EQ(flags.size(), 5u);
  EXPECT_EQ(flags[0].off_variant, "zero");
  EXPECT_EQ(flags[1].off_variant, "b");
  EXPECT_FALSE(flags[2].off_variant.has_value());
  EXPECT_FALSE(flags[3].off_variant.has_value());
  EXPECT_FALSE(flags[4].off_variant.has_value());
  ASSERT_EQ(doc->warnings.size(), 3u);
  EXPECT_EQ(doc->warnings[0].path, "flags.colors.variants");
  EXPECT_EQ(doc->warnings[0].message,
            "no off variant (no variant is named \"off\" or has an off "
            "value): under an exposure limit this string flag keeps serving "
            "its default variant; declare metadata.offVariant");
  EXPECT_EQ(doc->warnings[1].path, "flags.tied.variants");
  EXPECT_EQ(doc->warnings[1].message,
            "no off variant (several variants could be off: \"a\" \"b\"): "
            "under an exposure limit this string flag keeps serving its "
            "default variant; declare metadata.offVariant");
  EXPECT_EQ(doc->warnings[2].path, "flags.bool.metadata.offVariant");
  EXPECT_EQ(doc->warnings[2].message,
            "\"on\" is true, and a boolean flag under an exposure limit is "
            "false: ignored");
}

}  // namespace
}  // namespace warden::eval
