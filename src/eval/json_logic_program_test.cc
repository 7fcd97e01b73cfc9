// The compiled JsonLogic program against the interpreter it replaces: for
// a corpus of flagd targeting rules (the flagd testbed's shapes) and for
// random expressions, every context must give the same value, and through
// a snapshot the same variant, reason and error code.
#include "eval/json_logic_program.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "eval/flagd_format.h"
#include "eval/json_logic.h"
#include "eval/snapshot_builder.h"

namespace warden::eval {
namespace {

// A value as text; containers by address (the interpreter and the program
// must return the very same context container).
std::string Describe(const LogicValue& v) {
  switch (v.kind) {
    case LogicValue::Kind::kNull:
      return "null";
    case LogicValue::Kind::kBool:
      return v.b ? "true" : "false";
    case LogicValue::Kind::kNumber:
      return std::isnan(v.num) ? "NaN" : fmt::format("{:.17g}", v.num);
    case LogicValue::Kind::kString:
      return fmt::format("\"{}\"", v.str());
    case LogicValue::Kind::kJson:
      return fmt::format("json@{}", static_cast<const void*>(v.json));
    case LogicValue::Kind::kArray: {
      std::string out = "[";
      for (const LogicValue& item : v.items) out += Describe(item) + ",";
      return out + "]";
    }
  }
  return "?";
}

std::shared_ptr<const Snapshot> TenantSnapshot() {
  EnvironmentConfig config;
  Tenant acme;
  acme.key = "acme";
  acme.attributes = boost::json::parse(R"({"plan": "enterprise", "tier": 2,
          "version": "3.1.0", "user": {"name": "stored"}})")
                        .as_object();
  config.tenants.push_back(std::move(acme));
  return *SnapshotBuilder().Build(std::move(config));
}

// Random contexts over the attribute names the expressions read, with
// values of every JSON type, some absent.
class ContextSource {
 public:
  explicit ContextSource(uint32_t seed) : rng_(seed) {}

  EvaluationContext Next() {
    static const char* kKeys[] = {"s",       "n",    "b",    "email",
                                  "version", "plan", "list", "obj",
                                  "user",    "id",   "time", "region"};
    static const char* kTargetingKeys[] = {"",
                                           "acme",
                                           "tenant-1",
                                           "tenant-42",
                                           "5c3d8535-f81a-4478-a6d3",
                                           "user@faas.com"};
    EvaluationContext ctx;
    ctx.targeting_key = kTargetingKeys[Pick(std::size(kTargetingKeys))];
    ctx.stored_attributes_first = Pick(4) == 0;
    ctx.now = Timestamp{} + std::chrono::seconds(1'700'000'000);
    for (const char* key : kKeys) {
      if (Pick(5) == 0) continue;
      ctx.attributes[key] = RandomValue();
    }
    return ctx;
  }

  boost::json::value RandomValue() {
    static const char* kValues[] = {R"("")",
                                    R"("abc")",
                                    R"("abcxyz")",
                                    R"("xyzabc")",
                                    R"("a@faas.com")",
                                    R"("b@corp.example")",
                                    R"("1.2.3")",
                                    R"("v2.0.0")",
                                    R"("2.0.0-beta.1")",
                                    R"("3.0.1")",
                                    R"("3.1.0")",
                                    R"(" 12 ")",
                                    R"("12")",
                                    R"("true")",
                                    R"("enterprise")",
                                    R"("apac")",
                                    R"("1e3")",
                                    R"("0x10")",
                                    "0",
                                    "1",
                                    "-1",
                                    "0.1",
                                    "2",
                                    "12",
                                    "1e20",
                                    "3.5",
                                    "-0.0",
                                    "1700000001",
                                    "true",
                                    "false",
                                    "null",
                                    R"(["x", 1, true])",
                                    "[]",
                                    R"(["apac"])",
                                    "{}",
                                    R"({"name": "ann"})",
                                    R"({"a": 1})",
                                    "2.0",
                                    "3"};
    return boost::json::parse(kValues[Pick(std::size(kValues))]);
  }

  size_t Pick(size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

 private:
  std::mt19937 rng_;
};

// Compiles `expr` and checks the program against the interpreter on
// `contexts`; returns how many evaluations the program answered itself.
int CheckEquivalent(const boost::json::value& expr,
                    const std::vector<EvaluationContext>& contexts,
                    const Snapshot& snapshot) {
  auto logic = JsonLogic::Compile(expr, "t", {}, EvalLimits{});
  if (!logic.ok()) return 0;
  const JsonLogic& l = **logic;
  if (!l.parse_error().empty() || l.program() == nullptr) return 0;
  int answered = 0;
  for (const EvaluationContext& ctx : contexts) {
    EvalScope scope(ctx, "my-flag", snapshot);
    bool over_budget = true;
    LogicValue want = l.Interpret(scope, &over_budget);
    EXPECT_FALSE(over_budget);
    LogicValue got;
    if (l.program()->Run(scope, &got)) {
      ++answered;
      EXPECT_EQ(Describe(got), Describe(want))
          << boost::json::serialize(expr) << "\ncontext " << ctx.targeting_key
          << " " << boost::json::serialize(ctx.attributes);
    }
    // Evaluate (what snapshots call) is the program or the interpreter.
    over_budget = true;
    EXPECT_EQ(Describe(l.Evaluate(scope, &over_budget)), Describe(want));
    EXPECT_FALSE(over_budget);
  }
  return answered;
}

struct Rule {
  const char* name;
  const char* targeting;
  bool compiles;  // false: an operation that keeps the interpreter
};

// flagd testbed shapes (open-feature/flagd-testbed testing-flags.json) and
// the usual hand-written rules of migrated flag files.
constexpr Rule kCorpus[] = {
    {"fractional-with-bucketing-expression",
     R"({"fractional": [{"var": "email"}, ["clubs", 25], ["diamonds", 25],
         ["hearts", 25], ["spades", 25]]})",
     true},
    {"fractional-default-bucketing",
     R"({"fractional": [["clubs", 25], ["diamonds", 25], ["hearts", 25],
         ["spades", 25]]})",
     true},
    {"fractional-shorthand", R"({"fractional": [["heads"], ["tails", 1]]})",
     true},
    {"fractional-null-bucketing",
     R"({"fractional": [{"var": "missing"}, ["heads", 1], ["tails", 1]]})",
     true},
    {"fractional-flag-key-bucketing",
     R"({"fractional": [{"var": "$flagd.flagKey"}, ["heads", 50],
         ["tails", 50]]})",
     true},
    {"fractional-testbed-cat",
     R"({"fractional": [{"cat": [{"var": "$flagd.flagKey"},
         {"var": "user.name"}]}, ["clubs", 25], ["diamonds", 25],
         ["hearts", 25], ["spades", 25]]})",
     true},
    {"fractional-cat-of-every-type",
     R"({"fractional": [{"cat": ["seed-", {"var": "n"}, {"var": "b"},
         {"var": "missing"}, ["x"], 1.5]},
         ["heads", 1], ["tails", 1]]})",
     true},
    {"cat-elsewhere",
     R"({"if": [{"==": [{"cat": [{"var": "s"}, "!"]}, "abc!"]}, "yes",
         "no"]})",
     false},
    {"fractional-bad-weights",
     R"({"fractional": [["heads", 1.5], ["tails", 1]]})", true},
    {"fractional-zero-weights",
     R"({"fractional": [["heads", 0], ["tails", -3]]})", true},
    {"nested-if-starts-ends",
     R"({"if": [{"starts_with": [{"var": "id"}, "abc"]}, "prefix",
         {"if": [{"ends_with": [{"var": "id"}, "xyz"]}, "postfix",
         {"if": [{"in": ["bc", {"var": "id"}]}, "middle", null]}]}]})",
     true},
    {"in-string-email",
     R"({"if": [{"in": ["@faas.com", {"var": ["email"]}]},
         {"fractional": [{"var": "email"}, ["red", 25], ["blue", 25],
         ["green", 25], ["yellow", 25]]}, null]})",
     true},
    {"in-array-region",
     R"({"if": [{"in": [{"var": "region"}, ["apac", "latam", 12, true]]},
         "off", "on"]})",
     true},
    {"in-long-array-targeting-key",
     R"({"if": [{"in": [{"var": "targetingKey"}, ["t0", "t1", "t2", "t3",
         "t4", "t5", "t6", "t7", "t8", "tenant-42", "acme", 12]]}, "off",
         "on"]})",
     true},
    {"in-context-array",
     R"({"if": [{"in": ["x", {"var": "list"}]}, "listed", null]})", true},
    {"sem-ver-equal-greater-lesser",
     R"({"if": [{"sem_ver": [{"var": "version"}, "=", "2.0.0"]}, "equal",
         {"if": [{"sem_ver": [{"var": "version"}, ">", "2.0.0"]}, "greater",
         {"if": [{"sem_ver": [{"var": "version"}, "<", "2.0.0"]}, "lesser",
         null]}]}]})",
     true},
    {"sem-ver-major-minor",
     R"({"if": [{"sem_ver": [{"var": "version"}, "^", "3.0.0"]}, "minor",
         {"if": [{"sem_ver": [{"var": "version"}, "~", "3.0.0"]}, "major",
         null]}]})",
     true},
    {"sem-ver-bad-operator",
     R"({"if": [{"sem_ver": [{"var": "version"}, "=>", "1.0.0"]}, "yes",
         "no"]})",
     true},
    {"targeting-key",
     R"({"if": [{"==": [{"var": "targetingKey"}, "5c3d8535-f81a-4478-a6d3"]},
         "hit", null]})",
     true},
    {"context-aware",
     R"({"if": [{"and": [{"==": [{"var": ["s"]}, "abc"]},
         {"==": [{"var": ["n"]}, 1]}, {"==": [{"var": ["n"]}, 0.1]},
         {"==": [{"var": ["b"]}, true]}]}, "INTERNAL", "EXTERNAL"]})",
     true},
    {"timestamp",
     R"({"if": [{">": [{"var": "$flagd.timestamp"}, {"var": "time"}]},
         "past", {"if": [{"<": [{"var": "$flagd.timestamp"},
         {"var": "time"}]}, "future", "none"]}]})",
     true},
    {"comparisons-and-not",
     R"({"if": [{"or": [{"!": {"var": "b"}}, {"<=": [1, {"var": "n"}, 3]},
         {">=": [{"var": "s"}, "abc"]}, {"!==": [{"var": "plan"}, "pro"]}]},
         "yes", "no"]})",
     true},
    {"var-default-and-nested",
     R"({"if": [{"===": [{"var": ["user.name", "nobody"]}, "stored"]},
         "stored", {"var": "plan"}]})",
     true},
    {"arithmetic",
     R"({"if": [{">": [{"+": [{"var": "n"}, {"*": [2, {"var": "tier"}]}]},
         4]}, "big", "small"]})",
     true},
    {"missing", R"({"if": [{"missing": ["email"]}, "anon", "known"]})", false},
    {"bool-result", R"({"==": [{"var": "plan"}, "enterprise"]})", true},
};

std::vector<EvaluationContext> Contexts(uint32_t seed, int n) {
  ContextSource source(seed);
  std::vector<EvaluationContext> out;
  for (int i = 0; i < n; ++i) out.push_back(source.Next());
  return out;
}

TEST(JsonLogicProgramTest, CorpusMatchesInterpreter) {
  auto snapshot = TenantSnapshot();
  auto contexts = Contexts(1, 2000);
  for (const Rule& rule : kCorpus) {
    SCOPED_TRACE(rule.name);
    auto expr = boost::json::parse(rule.targeting);
    auto logic = JsonLogic::Compile(expr, "t", {}, EvalLimits{});
    ASSERT_TRUE(logic.ok()) << logic.status().ToString();
    EXPECT_EQ((*logic)->program() != nullptr, rule.compiles);
    int answered = CheckEquivalent(expr, contexts, *snapshot);
    // Declines are value shapes real contexts rarely hold (a container as
    // the bucketing value or a piece of it, or searched for in a string);
    // these random contexts hold containers under most names, 15% of the
    // time.
    if (rule.compiles) {
      EXPECT_GE(answered, 1500);
    }
  }
}

// What ServeLogicResult (snapshot.cc) serves for a targeting value, as
// flagd does: null is the default, booleans name "true"/"false", strings
// name a variant, anything else is an error.
struct Served {
  std::string variant;
  Reason reason;
  ErrorCode code;
};

Served ServedFor(const LogicValue& v, const boost::json::object& variants) {
  std::string name;
  if (v.kind == LogicValue::Kind::kNull) {
    return {"fallback", Reason::kDefault, ErrorCode::kNone};
  }
  if (v.kind == LogicValue::Kind::kBool) {
    name = v.b ? "true" : "false";
  } else if (v.kind == LogicValue::Kind::kString) {
    name = v.str();
  } else {
    return {"", Reason::kError, ErrorCode::kGeneral};
  }
  if (!variants.contains(name))
    return {"", Reason::kError, ErrorCode::kGeneral};
  return {name, Reason::kTargetingMatch, ErrorCode::kNone};
}

TEST(JsonLogicProgramTest, CorpusServesSameVariantAndReason) {
  auto contexts = Contexts(2, 500);
  const std::string variants =
      R"({"fallback": "f", "clubs": "c", "diamonds": "d", "hearts": "h",
          "spades": "s", "heads": "H", "tails": "T", "prefix": "p",
          "postfix": "q", "middle": "m", "red": "r", "blue": "b",
          "green": "g", "equal": "e", "greater": "g", "lesser": "l",
          "minor": "i", "major": "a", "yes": "y", "no": "n", "hit": "h",
          "INTERNAL": "i", "EXTERNAL": "e", "past": "p", "future": "f",
          "none": "n", "off": "o", "on": "o", "stored": "s", "big": "b",
          "small": "s", "anon": "a", "known": "k", "true": "t",
          "false": "f", "listed": "l", "enterprise": "e"})";
  for (const Rule& rule : kCorpus) {
    SCOPED_TRACE(rule.name);
    std::string doc = fmt::format(
        R"({{"flags": {{"my-flag": {{"state": "ENABLED", "variants": {},
            "defaultVariant": "fallback", "targeting": {}}}}}}})",
        variants, rule.targeting);
    auto config = ImportFlagd(doc);
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    std::vector<Tenant> tenants =
        TenantSnapshot()->sections().tenants->tenants();
    config->tenants = tenants;
    auto snapshot = SnapshotBuilder().Build(std::move(config).value());
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    auto reference = JsonLogic::Compile(boost::json::parse(rule.targeting), "t",
                                        {}, EvalLimits{});
    ASSERT_TRUE(reference.ok());
    const auto variant_names = boost::json::parse(variants).as_object();
    for (const EvaluationContext& ctx : contexts) {
      EvaluationResult r = (*snapshot)->Evaluate("my-flag", ctx);
      EvalScope scope(ctx, "my-flag", **snapshot);
      bool over_budget = false;
      Served want = ServedFor((*reference)->Interpret(scope, &over_budget),
                              variant_names);
      EXPECT_EQ(r.variant, want.variant);
      EXPECT_EQ(r.reason, want.reason);
      EXPECT_EQ(r.error_code, want.code);
    }
  }
}

// Random expressions over every operation the program maps (and a few it
// does not), with literal operands of every type: the differential test
// for "the same value for every input".
class ExpressionSource {
 public:
  explicit ExpressionSource(uint32_t seed) : values_(seed), rng_(seed) {}

  boost::json::value Next(int depth) {
    if (depth == 0 || Pick(4) == 0) return Leaf();
    static const char* kOps[] = {
        "if",         "and",     "or",          "!",         "!!",       "==",
        "===",        "!=",      "!==",         "<",         "<=",       ">",
        ">=",         "in",      "+",           "-",         "*",        "/",
        "%",          "min",     "max",         "cat",       "var",      "<3",
        "fractional", "sem_ver", "starts_with", "ends_with", "in-array", "?:",
        "missing"};
    std::string op = kOps[Pick(std::size(kOps))];
    if (op == "fractional") return Fractional(depth);
    if (op == "sem_ver") return SemVerExpr(depth);
    if (op == "var") return Var(depth);
    if (op == "in-array") {
      return Op("in", {Next(depth - 1), ScalarArray()});
    }
    if (op == "missing") return Op(op, {boost::json::value("email")});
    size_t arity = 2;
    if (op == "!" || op == "!!") arity = 1;
    if (op == "<3") {
      op = "<";
      arity = 3;
    }
    if (op == "if" || op == "?:" || op == "and" || op == "or" || op == "+" ||
        op == "*" || op == "min" || op == "max" || op == "cat") {
      arity = 1 + Pick(4);
    }
    if (op == "-") arity = 1 + Pick(2);
    std::vector<boost::json::value> args;
    for (size_t i = 0; i < arity; ++i) args.push_back(Next(depth - 1));
    return Op(op, std::move(args));
  }

 private:
  size_t Pick(size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  static boost::json::value Op(const std::string& name,
                               std::vector<boost::json::value> args) {
    boost::json::array a(args.begin(), args.end());
    return boost::json::object{{name, std::move(a)}};
  }

  boost::json::value Leaf() {
    if (Pick(2) == 0) return Var(0);
    boost::json::value v = values_.RandomValue();
    // Containers as operands are operations or arrays; keep scalars.
    if (v.is_object() && !v.get_object().empty()) return nullptr;
    return v;
  }

  boost::json::value Var(int depth) {
    static const char* kPaths[] = {"s",
                                   "n",
                                   "b",
                                   "email",
                                   "version",
                                   "plan",
                                   "list",
                                   "list.0",
                                   "obj",
                                   "obj.a",
                                   "user",
                                   "user.name",
                                   "id",
                                   "targetingKey",
                                   "tier",
                                   "time",
                                   "region",
                                   "missing",
                                   "$flagd.flagKey",
                                   "",
                                   "$flagd.timestamp"};
    boost::json::value path = kPaths[Pick(std::size(kPaths))];
    if (depth > 0 && Pick(3) == 0) {
      return Op("var", {path, Next(depth - 1)});
    }
    return boost::json::object{{"var", path}};
  }

  boost::json::value ScalarArray() {
    boost::json::array a;
    size_t n = Pick(12);
    for (size_t i = 0; i < n; ++i) {
      boost::json::value v = values_.RandomValue();
      if (!v.is_object() && !v.is_array()) a.push_back(v);
    }
    return a;
  }

  boost::json::value Fractional(int depth) {
    std::vector<boost::json::value> args;
    switch (Pick(5)) {
      case 0:
        args.push_back(Next(depth - 1));
        break;
      case 3:
        args.push_back(Op("cat", {Var(0), Leaf(), Var(0)}));
        break;
      case 1:
        args.push_back(nullptr);
        break;
      case 2:
        args.push_back(Var(0));
        break;
      default:
        break;
    }
    size_t n = 1 + Pick(4);
    static const char* kWeights[] = {"25",   "1",     "0",  "-2",        "1.5",
                                     "null", "\"3\"", "50", "2147483647"};
    for (size_t i = 0; i < n; ++i) {
      boost::json::array dist{boost::json::value(fmt::format("v{}", i))};
      if (Pick(4) != 0) {
        dist.push_back(boost::json::parse(kWeights[Pick(std::size(kWeights))]));
      }
      args.push_back(std::move(dist));
    }
    return Op("fractional", std::move(args));
  }

  boost::json::value SemVerExpr(int depth) {
    static const char* kOps[] = {"=",  "!=", "<", "<=", ">",
                                 ">=", "^",  "~", "=>"};
    static const char* kVersions[] = {"1.2.3", "v2.0.0", "2.0.0-beta.1",
                                      "3.0.0", "3.1",    "bad"};
    boost::json::value op = kOps[Pick(std::size(kOps))];
    if (Pick(5) == 0) op = Next(depth - 1);
    boost::json::value version = kVersions[Pick(std::size(kVersions))];
    if (Pick(5) == 0) version = values_.RandomValue();
    if (version.is_object() || version.is_array()) version = "1.0.0";
    std::vector<boost::json::value> args{Var(0), op, version};
    if (Pick(10) == 0) args.pop_back();  // wrong arity: null, as in flagd
    return Op("sem_ver", std::move(args));
  }

  ContextSource values_;
  std::mt19937 rng_;
};

TEST(JsonLogicProgramTest, RandomExpressionsMatchInterpreter) {
  auto snapshot = TenantSnapshot();
  auto contexts = Contexts(3, 60);
  ExpressionSource source(4);
  int compiled = 0, answered = 0;
  for (int i = 0; i < 3000; ++i) {
    boost::json::value expr = source.Next(1 + i % 4);
    auto logic = JsonLogic::Compile(expr, "t", {}, EvalLimits{});
    if (logic.ok() && (*logic)->program() != nullptr) ++compiled;
    answered += CheckEquivalent(expr, contexts, *snapshot);
    if (HasFailure()) break;  // the first counterexample is enough
  }
  // Most random trees map; the program answers nearly every context.
  EXPECT_GT(compiled, 2000);
  EXPECT_GT(answered, compiled * 55);
}

TEST(JsonLogicProgramTest, DeclinedValuesFallBackToTheInterpreter) {
  auto snapshot = TenantSnapshot();
  EvaluationContext ctx;
  ctx.targeting_key = "tenant-1";
  ctx.attributes = boost::json::parse(
                       R"({"obj": {"a": 1}, "s": "x{\"a\":1}y",
                           "dist": ["a", 1]})")
                       .as_object();
  EvalScope scope(ctx, "my-flag", *snapshot);
  const char* cases[][2] = {
      // An object needle is serialized before a substring search.
      {R"({"in": [{"var": "obj"}, {"var": "s"}]})", "true"},
      // A container as a piece of a "cat" bucketing value.
      {R"({"fractional": [{"cat": ["s", {"var": "obj"}]}, ["a", 1]]})",
       R"("a")"},
      // A distribution read from the context.
      {R"({"fractional": [{"var": "dist"}]})", R"("a")"},
      // An array result.
      {R"({"if": [true, ["a", "b"], null]})", R"(["a","b",])"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    auto logic =
        JsonLogic::Compile(boost::json::parse(text), "t", {}, EvalLimits{});
    ASSERT_TRUE(logic.ok());
    ASSERT_NE((*logic)->program(), nullptr);
    LogicValue v;
    EXPECT_FALSE((*logic)->program()->Run(scope, &v));
    bool over_budget = true;
    EXPECT_EQ(Describe((*logic)->Evaluate(scope, &over_budget)), expected);
    EXPECT_FALSE(over_budget);
  }
}

TEST(JsonLogicProgramTest, TreeOverStepBudgetKeepsTheInterpreter) {
  EvalLimits limits;
  limits.max_logic_steps = 4;
  auto expr = boost::json::parse(
      R"({"if": [{"==": [{"var": "s"}, "abc"]}, "yes", "no"]})");
  auto logic = JsonLogic::Compile(expr, "t", {}, limits);
  ASSERT_TRUE(logic.ok());
  EXPECT_EQ((*logic)->program(), nullptr);
  auto snapshot = TenantSnapshot();
  EvaluationContext ctx;
  ctx.attributes["s"] = "abc";
  EvalScope scope(ctx, "my-flag", *snapshot);
  bool over_budget = false;
  (*logic)->Evaluate(scope, &over_budget);
  EXPECT_TRUE(over_budget);
  limits.max_logic_steps = 6;  // exactly the tree's nodes
  logic = JsonLogic::Compile(expr, "t", {}, limits);
  ASSERT_TRUE(logic.ok());
  EXPECT_NE((*logic)->program(), nullptr);
}

}  // namespace
}  // namespace warden::eval
