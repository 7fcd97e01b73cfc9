#include "policy/decision_explanation.h"

#include <string>

namespace warden::policy {
namespace {

void AddFacts(const Condition& condition, const DecisionInput& in,
              boost::json::object& facts) {
  for (const AttributePath& path : condition.paths()) {
    facts[path.text] = ToJson(Resolve(in, path));
  }
  for (const std::string& flag : condition.flags()) {
    facts["flag_on(" + flag + ")"] = in.facts.FlagOn(flag);
  }
}

void Reason(boost::json::object& out, std::string id, std::string text) {
  out["id"] = std::move(id);
  out["reason_admin"] = boost::json::object{{"en", std::move(text)}};
}

std::string Verb(bool allowed) { return allowed ? "permitted" : "denied"; }

}  // namespace

boost::json::value ToJson(const AttributeValue& value) {
  using Kind = AttributeValue::Kind;
  switch (value.kind) {
    case Kind::kBool:
      return value.boolean;
    case Kind::kNumber:
      return value.json != nullptr ? *value.json
                                   : boost::json::value(value.number);
    case Kind::kString:
      return boost::json::string(value.string);
    case Kind::kArray:
    case Kind::kObject:
      return value.json != nullptr ? *value.json : boost::json::value();
    case Kind::kNull:
    case Kind::kMissing:
      break;
  }
  return nullptr;
}

std::string ReasonId(const PolicySet& policy, const Decision& decision) {
  switch (decision.basis) {
    case Decision::Basis::kBuiltInDenial:
      return std::string(decision.denial.code);
    case Decision::Basis::kNoPermit:
      return "no-permit";
    case Decision::Basis::kRolePermission:
      return "role:" + policy.roles().name(decision.role);
    case Decision::Basis::kRule:
      break;
  }
  return "rule:" + decision.rule->id;
}

boost::json::object ExplainDecision(const PolicySet& policy,
                                    const AccessRequest& request,
                                    const FactSource& facts,
                                    const Decision& decision) {
  boost::json::object out;
  switch (decision.basis) {
    case Decision::Basis::kBuiltInDenial:
      Reason(out, ReasonId(policy, decision),
             "denied: " + std::string(decision.denial.code) + " " +
                 std::string(decision.denial.detail));
      out["basis"] = "built-in";
      out["detail"] = decision.denial.detail;
      return out;
    case Decision::Basis::kNoPermit:
      Reason(out, ReasonId(policy, decision),
             "denied by default: no rule or role permits \"" +
                 std::string(request.action) + "\"");
      out["basis"] = "default-deny";
      return out;
    case Decision::Basis::kRolePermission: {
      const std::string& role = policy.roles().name(decision.role);
      Reason(out, ReasonId(policy, decision), "permitted by role " + role);
      out["basis"] = "role";
      out["role"] = role;
      return out;
    }
    case Decision::Basis::kRule:
      break;
  }
  const Rule& rule = *decision.rule;
  Reason(out, ReasonId(policy, decision),
         Verb(decision.allowed) + " by rule " + rule.id +
             (rule.description.empty() ? "" : ": " + rule.description));
  out["basis"] = "rule";
  out["effect"] = EffectName(rule.effect);
  out["rule"] = rule.id;
  const DecisionInput in = policy.Gather(request, facts);
  boost::json::object read;
  if (rule.when) AddFacts(*rule.when, in, read);
  if (rule.unless) AddFacts(*rule.unless, in, read);
  if (!read.empty()) out["facts"] = std::move(read);
  return out;
}

}  // namespace warden::policy
