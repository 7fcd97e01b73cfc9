// JsonLogic operations one by one, through the public path (flagd import ->
// snapshot -> evaluate): each case is a targeting expression that must
// select variant "yes" (its result is compared with `expected` by ==).
#include "eval/json_logic.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "eval/flagd_format.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

struct Case {
  const char* expr;      // JsonLogic producing a value
  const char* expected;  // JSON literal the value must equal (===)
};

// Wraps `expr` as {"if": [{"===": [expr, expected]}, "yes", "no"]}.
std::string Evaluate(const Case& c, const char* context) {
  std::string doc = std::string(R"({"flags": {"f": {"state": "ENABLED",
      "variants": {"yes": true, "no": false}, "defaultVariant": "no",
      "targeting": {"if": [{"===": [)") +
                    c.expr + ", " + c.expected + R"(]}, "yes", "no"]}}}})";
  auto config = ImportFlagd(doc);
  if (!config.ok()) return config.status().ToString();
  auto snapshot = SnapshotBuilder().Build(std::move(config).value());
  if (!snapshot.ok()) return snapshot.status().ToString();
  EvaluationContext ctx;
  ctx.targeting_key = "tenant-1";
  ctx.attributes = boost::json::parse(context).as_object();
  return std::string((*snapshot)->Evaluate("f", ctx).variant);
}

constexpr const char* kContext = R"({"a": {"b": [10, 20]}, "s": "hello",
    "n": 4, "t": true, "z": 0, "empty": "", "list": ["x", "y"]})";

TEST(JsonLogicTest, Operations) {
  const Case cases[] = {
      {R"({"var": "a.b.1"})", "20"},
      {R"({"var": ["nope", "dflt"]})", R"("dflt")"},
      {R"({"var": "nope"})", "null"},
      {R"({"var": "targetingKey"})", R"("tenant-1")"},
      {R"({"if": [false, 1, true, 2, 3]})", "2"},
      {R"({"if": [false, 1, false, 2, 3]})", "3"},
      {R"({"if": [false, 1]})", "null"},
      {R"({"and": [1, "", 2]})", R"("")"},
      {R"({"and": [1, 2]})", "2"},
      {R"({"or": [0, "", "x"]})", R"("x")"},
      {R"({"!": [{"var": "z"}]})", "true"},
      {R"({"!!": [{"var": "list"}]})", "true"},
      {R"({"!!": [[]]})", "false"},
      {R"({"==": [1, "1"]})", "true"},
      {R"({"==": [null, 0]})", "false"},
      {R"({"==": [true, 1]})", "true"},
      {R"({"===": [1, "1"]})", "false"},
      {R"({"!=": [1, "2"]})", "true"},
      {R"({"!==": [1, 1]})", "false"},
      {R"({"<": [1, 2]})", "true"},
      {R"({"<": [1, 2, 3]})", "true"},
      {R"({"<": [1, 3, 2]})", "false"},
      {R"({"<=": [2, 2]})", "true"},
      {R"({">": ["b", "a"]})", "true"},
      {R"({">=": [{"var": "n"}, 5]})", "false"},
      {R"({"cat": ["a", 1, true, null, 2.5]})", R"("a1true2.5")"},
      {R"({"+": [1, "2", 3.5]})", "6.5"},
      {R"({"-": [5, 7]})", "-2"},
      {R"({"-": [5]})", "-5"},
      {R"({"*": [2, 3, 4]})", "24"},
      {R"({"/": [9, 2]})", "4.5"},
      {R"({"/": [1, 0]})", "null"},
      {R"({"%": [9, 4]})", "1"},
      {R"({"min": [3, 1, 2]})", "1"},
      {R"({"max": [3, 1, 2]})", "3"},
      {R"({"+": ["x", 1]})", "null"},
      {R"({"in": ["ell", {"var": "s"}]})", "true"},
      {R"({"in": ["y", {"var": "list"}]})", "true"},
      {R"({"in": ["q", ["a", "b"]]})", "false"},
      {R"({"!": {"missing": ["s", "n"]}})", "true"},
      {R"({"!!": {"missing": ["s", "empty"]}})", "true"},
      {R"({"!!": {"missing_some": [1, ["nope", "s"]]}})", "false"},
      {R"({"!!": {"missing_some": [2, ["nope", "s"]]}})", "true"},
      {R"({"starts_with": [{"var": "s"}, "he"]})", "true"},
      {R"({"ends_with": [{"var": "s"}, "lo"]})", "true"},
      {R"({"starts_with": [{"var": "n"}, "4"]})", "null"},
      {R"({"sem_ver": ["1.2.3", ">=", "1.2.0"]})", "true"},
      {R"({"sem_ver": ["1.2.3", "?", "1.2.0"]})", "null"},
      {R"({"sem_ver": ["x", "=", "1.2.0"]})", "null"},
      {R"({"fractional": ["same", ["a", 1]]})", R"("a")"},
      {R"({"fractional": ["same", ["a", 0], ["b", 0]]})", "null"},
      {R"({"fractional": ["same", ["a", 1.5]]})", "null"},
      {R"({"fractional": ["same", "notalist"]})", "null"},
      {R"({"fractional": ["same", [true, 1]]})", "true"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Evaluate(c, kContext), "yes") << c.expr << " === " << c.expected;
  }
}

TEST(JsonLogicTest, CasesCanFail) {
  EXPECT_EQ(Evaluate({R"({"+": [1, 1]})", "3"}, kContext), "no");
}

TEST(JsonLogicTest, EvaluationBudgetStopsRunawayExpressions) {
  std::string wide = R"({"+": [)";
  for (int i = 0; i < 200; ++i) wide += (i ? ", " : "") + std::string("1");
  wide += "]}";
  EnvironmentConfig config = std::move(ImportFlagd(std::string(R"({"flags":
      {"f": {"state": "ENABLED", "variants": {"a": 1}, "defaultVariant": "a",
      "targeting": {"if": [)") + wide + R"(, "a", null]}}}})"))
                                 .value();
  EvalLimits limits;
  limits.max_logic_steps = 100;
  auto snapshot = SnapshotBuilder(limits).Build(config);
  ASSERT_TRUE(snapshot.ok());
  auto r = (*snapshot)->Evaluate("f", EvaluationContext{});
  EXPECT_EQ(r.error_code, ErrorCode::kGeneral);
  EXPECT_NE(r.error_message.find("budget"), std::string::npos);
  auto roomy = SnapshotBuilder().Build(config);
  EXPECT_EQ((*roomy)->Evaluate("f", EvaluationContext{}).reason,
            Reason::kTargetingMatch);
}

TEST(JsonLogicTest, NodeLimitIsEnforcedAtCompile) {
  EvalLimits limits;
  limits.max_logic_nodes = 10;
  auto logic = JsonLogic::Compile(
      boost::json::parse(R"({"cat": [1,2,3,4,5,6,7,8,9,10]})"), "t", {},
      limits);
  ASSERT_FALSE(logic.ok());
  EXPECT_NE(logic.status().message().find("more than 10 nodes"),
            std::string::npos);
}

}  // namespace
}  // namespace warden::eval
