// Fuzzes evaluation contexts against a fixed snapshot that uses every
// native operator and the JsonLogic operations: the input is a JSON
// context object (or, when not JSON, a raw targeting key).
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "eval/flagd_format.h"
#include "eval/snapshot_builder.h"

namespace {

using namespace warden::eval;

constexpr std::string_view kFlagd = R"({
  "$evaluators": {"faas": {"in": ["@faas.com", {"var": "email"}]}},
  "flags": {
    "logic": {"state": "ENABLED", "defaultVariant": "red",
      "variants": {"red": "r", "blue": "b", "green": "g", "true": "t", "false": "f"},
      "targeting": {"if": [
        {"$ref": "faas"}, {"fractional": [{"var": "email"}, ["red", 1], ["blue", 2]]},
        {"sem_ver": [{"var": "version"}, "^", "1.0.0"]}, "green",
        {"starts_with": [{"var": "name"}, "x"]}, {"cat": ["bl", "ue"]},
        {"<": [1, {"+": [{"var": "n"}, {"*": [2, {"var": "m"}]}]}, 100]},
        {"missing_some": [1, ["a", "b"]]},
        {"ends_with": [{"var": "name"}, "y"]}, {"==": [{"var": "n"}, "3"]},
        {"fractional": [["red", 50], ["green", 50]]}]}}}})";

Condition Cond(const char* attr, ConditionOp op, const char* operand) {
  return {attr, op, boost::json::parse(operand)};
}

std::shared_ptr<const Snapshot> MakeSnapshot() {
  EnvironmentConfig config = std::move(ImportFlagd(kFlagd)).value();
  config.segments.push_back({"blocked", {"evil", "bad"}, {}});
  config.segments.push_back(
      {"eu", {}, {Cond("region", ConditionOp::kIn, R"(["eu", "uk"])")}});
  config.tenants.push_back({"acme", "alice", {}, {"slack"}});
  Flag f;
  f.key = "native";
  f.variants = {{"on", true}, {"off", false}};
  f.default_variant = "off";
  f.off_variant = "off";
  f.rules.push_back({{Cond("", ConditionOp::kInSegment, R"("blocked")"),
                      Cond("", ConditionOp::kNotInSegment, R"("eu")")},
                     "off"});
  f.rules.push_back({{Cond("a.b", ConditionOp::kRegex, R"("^(x|y)+z$")"),
                      Cond("email", ConditionOp::kContains, R"("@")")},
                     "on"});
  f.rules.push_back(
      {{Cond("v", ConditionOp::kSemverGe, R"("1.2.0")"),
        Cond("d", ConditionOp::kAfter, R"("2020-01-01T00:00:00Z")"),
        Cond("d", ConditionOp::kBefore, "4102444800")},
       "on"});
  f.rules.push_back({{Cond("n", ConditionOp::kGe, "5"),
                      Cond("s", ConditionOp::kStartsWith, R"("a")"),
                      Cond("s", ConditionOp::kEndsWith, R"("z")"),
                      Cond("t", ConditionOp::kNotIn, R"(["x", 1, true])"),
                      Cond("e", ConditionOp::kEquals, "1.5")},
                     "on"});
  f.rollout = {{"on", 25}, {"off", 75}};
  config.flags.push_back(f);
  config.limits.push_back(
      {"l", LimitScope::kIntegration, {"jira"}, {}, "", ""});
  return std::move(SnapshotBuilder().Build(std::move(config))).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::shared_ptr<const Snapshot> snapshot = MakeSnapshot();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  EvaluationContext ctx;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (!ec && v.is_object()) {
    ctx.attributes = std::move(v.get_object());
    if (auto* key = ctx.attributes.if_contains("targetingKey")) {
      if (key->is_string()) ctx.targeting_key = key->get_string();
    }
  } else {
    ctx.targeting_key = text;
  }
  ctx.now = warden::FromMicros(static_cast<int64_t>(size) * 1'000'000'000);
  snapshot->EvaluateAll(ctx, [](std::string_view, const EvaluationResult& r) {
    if (r.reason == Reason::kError && r.ok()) std::abort();
    if (r.reason == Reason::kLimited && r.limit_id.empty()) std::abort();
  });
  return 0;
}
