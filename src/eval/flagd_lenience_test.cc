// Golden tests: files flagd loads import, and evaluate as
// flagd evaluates them (flagd's docs at flagd.dev/reference/custom-
// operations/, its Go evaluator core/pkg/evaluator json.go, semver.go,
// string_comparison.go, and the flagd-testbed flags they cite); each
// problem is a warning with its JSON path instead of a refusal.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "eval/flagd_format.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

namespace json = boost::json;

struct Imported {
  std::shared_ptr<const Snapshot> snapshot;
  ConfigWarnings warnings;
};

Imported Import(const std::string& text, const json::object& stored = {}) {
  Imported out;
  auto doc = ReadFlagd(text, {}, stored);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  if (!doc.ok()) return out;
  out.warnings = doc->warnings;
  if (!doc->has_evaluators) doc->config.evaluators = stored;
  auto built = SnapshotBuilder().Build(std::move(doc->config));
  EXPECT_TRUE(built.ok()) << built.status().ToString();
  if (built.ok()) out.snapshot = *built;
  return out;
}

// One string flag "f": variants hit/miss/fallback, default "fallback".
std::string Flag(const std::string& targeting) {
  return R"({"flags": {"f": {"state": "ENABLED", "variants": {"hit": "hit",
      "miss": "miss", "fallback": "fallback", "off": "off"},
      "defaultVariant": "fallback", "targeting": )" +
         targeting + "}}}";
}

EvaluationContext Ctx(const char* attrs = "{}") {
  EvaluationContext ctx;
  ctx.targeting_key = "t";
  ctx.attributes = json::parse(attrs).as_object();
  return ctx;
}

void ExpectWarnings(const ConfigWarnings& got,
                    const std::vector<ConfigWarning>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].path, want[i].path) << i;
    EXPECT_EQ(got[i].message, want[i].message) << i;
  }
}

// flagd-testbed "ref-to-nonexistent-evaluator-flag": the file loads, the
// flag answers PARSE_ERROR (and no value) for every context.
TEST(FlagdLenienceTest, RefToMissingEvaluatorAnswersParseError) {
  Imported in = Import(Flag(R"({"if": [{"$ref": "nonexistent_evaluator"},
      "hit", "miss"]})"));
  ASSERT_NE(in.snapshot, nullptr);
  ExpectWarnings(in.warnings,
                 {{"flags.f.targeting.if[0]",
                   "unknown evaluator \"nonexistent_evaluator\": the flag "
                   "answers PARSE_ERROR (as in flagd)"}});
  EvaluationResult r = in.snapshot->Evaluate("f", Ctx());
  EXPECT_EQ(r.reason, Reason::kError);
  EXPECT_EQ(r.error_code, ErrorCode::kParseError);
  EXPECT_EQ(r.value, nullptr);
  EXPECT_EQ(r.error_message,
            "flag \"f\": targeting: unknown evaluator "
            "\"nonexistent_evaluator\"");
}

TEST(FlagdLenienceTest, RefThatNamesNothingAnswersParseError) {
  Imported in = Import(Flag(R"({"$ref": 7})"));
  ASSERT_NE(in.snapshot, nullptr);
  ExpectWarnings(in.warnings, {{"flags.f.targeting",
                                "\"$ref\" does not name an evaluator: the "
                                "flag answers PARSE_ERROR (as in flagd)"}});
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx()).error_code,
            ErrorCode::kParseError);
}

// A file without $evaluators compiles against the environment's stored
// ones (the import keeps them); the same file alone names a missing one.
TEST(FlagdLenienceTest, RefsResolveAgainstStoredEvaluatorsWhenFileHasNone) {
  const std::string file = Flag(R"({"if": [{"$ref": "vip"}, "hit", "miss"]})");
  json::object stored{{"vip", json::parse(R"({"==": [{"var": "tier"},
      "gold"]})")}};
  Imported in = Import(file, stored);
  ASSERT_NE(in.snapshot, nullptr);
  EXPECT_TRUE(in.warnings.empty());
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx(R"({"tier": "gold"})")).variant,
            "hit");
  EXPECT_EQ(Import(file).warnings.size(), 1u);
}

// flagd-testbed "starts-with-wrong-args-flag" / "ends-with-wrong-args-flag"
// (string_comparison.go: a wrong argument count returns null).
TEST(FlagdLenienceTest, StartsWithEndsWithWrongArgumentCountIsNull) {
  Imported in = Import(Flag(R"({"if": [{"starts_with": ["abc"]}, "hit"]})"));
  ASSERT_NE(in.snapshot, nullptr);
  ExpectWarnings(in.warnings,
                 {{"flags.f.targeting.if[0].starts_with",
                   "\"starts_with\" takes 2 arguments, got 1: it evaluates "
                   "to null, so the rule falls through (as in flagd)"}});
  EvaluationResult r = in.snapshot->Evaluate("f", Ctx());
  EXPECT_EQ(r.reason, Reason::kDefault);
  EXPECT_EQ(r.variant, "fallback");

  in = Import(Flag(R"({"ends_with": "xyz"})"));
  ASSERT_NE(in.snapshot, nullptr);
  ExpectWarnings(in.warnings,
                 {{"flags.f.targeting.ends_with",
                   "\"ends_with\" takes 2 arguments, got 1: it evaluates "
                   "to null, so the rule falls through (as in flagd)"}});
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx()).reason, Reason::kDefault);

  // Null is falsy: an "if" with an else branch takes it (JsonLogic's "if",
  // flagd's "error during parsing" cases in string_comparison_test.go).
  in = Import(Flag(R"({"if": [{"ends_with": ["a", "b", "c"]}, "hit",
      "miss"]})"));
  ASSERT_NE(in.snapshot, nullptr);
  EXPECT_EQ(in.warnings.size(), 1u);
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx()).variant, "miss");
}

TEST(FlagdLenienceTest, SemVerWrongArgumentCountIsNull) {
  Imported in = Import(Flag(R"({"sem_ver": [{"var": "v"}, "="]})"));
  ASSERT_NE(in.snapshot, nullptr);
  ExpectWarnings(in.warnings,
                 {{"flags.f.targeting.sem_ver",
                   "\"sem_ver\" takes 3 arguments, got 2: it evaluates to "
                   "null, so the rule falls through (as in flagd)"}});
  EvaluationResult r = in.snapshot->Evaluate("f", Ctx(R"({"v": "1.0.0"})"));
  EXPECT_EQ(r.reason, Reason::kDefault);
  EXPECT_EQ(r.variant, "fallback");
}

// flagd-testbed "semver-invalid-operator-flag" and a literal version flagd
// cannot parse: null at evaluation, a warning at import.
TEST(FlagdLenienceTest, SemVerLiteralOperandsFlagdCannotReadAreWarned) {
  Imported in = Import(Flag(R"({"if": [
      {"sem_ver": [{"var": "v"}, "===", "1.0.0"]}, "hit",
      {"sem_ver": [{"var": "v"}, "=", "1.0.0.0"]}, "miss", null]})"));
  ASSERT_NE(in.snapshot, nullptr);
  ExpectWarnings(
      in.warnings,
      {{"flags.f.targeting.if[0].sem_ver[1]",
        "\"===\" is not a sem_ver operator (=, !=, <, <=, >, >=, ^, ~): the "
        "operation evaluates to null"},
       {"flags.f.targeting.if[2].sem_ver[2]",
        "\"1.0.0.0\" is not a semantic version: the operation evaluates to "
        "null"}});
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx(R"({"v": "1.0.0"})")).reason,
            Reason::kDefault);
}

// flagd strips "v" and "V" (semver-v-prefix-flag), pads partial versions
// (semver-partial-version-flag) and ignores build metadata
// (semver-build-metadata-flag).
TEST(FlagdLenienceTest, SemVerPrefixesPartialVersionsAndBuildMetadata) {
  Imported in = Import(Flag(R"({"if": [
      {"sem_ver": [{"var": "v"}, "=", "v1.0.0"]}, "hit",
      {"sem_ver": [{"var": "v"}, "^", "V2"]}, "miss",
      {"sem_ver": [{"var": "v"}, "=", "3.1.0+build"]}, "off", null]})"));
  ASSERT_NE(in.snapshot, nullptr);
  EXPECT_TRUE(in.warnings.empty());
  auto variant = [&](const char* v) {
    return std::string(
        in.snapshot
            ->Evaluate("f",
                       Ctx((R"({"v": ")" + std::string(v) + "\"}").c_str()))
            .variant);
  };
  EXPECT_EQ(variant("1.0.0"), "hit");
  EXPECT_EQ(variant("v1.0.0"), "hit");
  EXPECT_EQ(variant("V1.0.0"), "hit");
  EXPECT_EQ(variant("1"), "hit");
  EXPECT_EQ(variant("1.0"), "hit");
  EXPECT_EQ(variant("2.5.0"), "miss");
  EXPECT_EQ(variant("V2.0"), "miss");
  EXPECT_EQ(variant("3.1.0+other"), "off");
  EXPECT_EQ(variant("3.1"), "off");
  EXPECT_EQ(variant("4.0.0"), "fallback");
  EXPECT_EQ(variant("not-a-version"), "fallback");
}

// Numeric context values are read as their decimal text (1 is "1", 1.2 is
// "1.2"), on either side of the operator.
TEST(FlagdLenienceTest, SemVerReadsNumbers) {
  Imported in = Import(Flag(R"({"if": [
      {"sem_ver": [{"var": "v"}, ">", "1.1"]}, "hit",
      {"sem_ver": [{"var": "v"}, "=", 1]}, "miss", null]})"));
  ASSERT_NE(in.snapshot, nullptr);
  EXPECT_TRUE(in.warnings.empty());
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx(R"({"v": 1.2})")).variant, "hit");
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx(R"({"v": 2})")).variant, "hit");
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx(R"({"v": 1})")).variant, "miss");
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx(R"({"v": 1.0})")).variant, "miss");
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx(R"({"v": -1})")).variant,
            "fallback");
  EXPECT_EQ(in.snapshot->Evaluate("f", Ctx(R"({"v": true})")).variant,
            "fallback");
}

// An evaluator $ref'd by several flags is reported once per site.
TEST(FlagdLenienceTest, WarningsAreReportedOncePerPath) {
  auto doc = ReadFlagd(R"({"$evaluators": {"e": {"starts_with": ["x"]}},
      "flags": {
        "a": {"state": "ENABLED", "variants": {"on": true},
              "targeting": {"$ref": "e"}},
        "b": {"state": "ENABLED", "variants": {"on": true},
              "targeting": {"$ref": "e"}}}})",
                       {}, {});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ExpectWarnings(doc->warnings,
                 {{"$evaluators.e.starts_with",
                   "\"starts_with\" takes 2 arguments, got 1: it evaluates "
                   "to null, so the rule falls through (as in flagd)"}});
}

TEST(FlagdLenienceTest, WarningsAreCapped) {
  std::string flags;
  for (size_t i = 0; i < kMaxImportWarnings + 5; ++i) {
    if (i > 0) flags += ",";
    flags += R"("f)" + std::to_string(i) +
             R"(": {"state": "ENABLED", "variants": {"on": true},
                   "targeting": {"$ref": "gone"}})";
  }
  auto doc = ReadFlagd(R"({"flags": {)" + flags + "}}", {}, {});
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->warnings.size(), kMaxImportWarnings);
  EXPECT_EQ(doc->warnings_omitted, 5u);
}

}  // namespace
}  // namespace warden::eval
