#include "policy/decision_cases.h"

#include <boost/json/serialize.hpp>

#include "policy/authzen_request.h"
#include "policy/decision_explanation.h"
#include "policy/policy_compiler.h"

namespace warden::policy {
namespace {

Status Malformed(std::string where, std::string message) {
  return InvalidArgument(where + ": " + message, "validation-failed");
}

std::string_view FactKey(FactRoot root) {
  switch (root) {
    case FactRoot::kSubjectIdentity:
      return "subject.identity";
    case FactRoot::kCaller:
      return "caller";
    case FactRoot::kTenant:
      return "tenant";
    case FactRoot::kNow:
      return "now";
  }
  return "";
}

Result<std::shared_ptr<const PolicySet>> LoadPolicy(
    const boost::json::object& cases, const PolicyFileReader& read_policy) {
  const boost::json::value* policy = cases.if_contains("policy");
  if (policy == nullptr) return Malformed("policy", "is required");
  if (policy->is_object()) return CompilePolicy(*policy);
  if (!policy->is_string()) {
    return Malformed("policy", "must be a file name or the policy itself");
  }
  WARDEN_ASSIGN_OR_RETURN(std::string text,
                          read_policy(std::string(policy->get_string())));
  return CompilePolicyText(text);
}

const boost::json::object* CaseFacts(const boost::json::object& one,
                                     const boost::json::object& file) {
  const boost::json::value* own = one.if_contains("facts");
  if (own != nullptr && own->is_object()) return &own->get_object();
  const boost::json::value* shared = file.if_contains("facts");
  return shared != nullptr && shared->is_object() ? &shared->get_object()
                                                  : nullptr;
}

std::string CaseName(const boost::json::object& one, std::string fallback) {
  const boost::json::value* name = one.if_contains("name");
  return name != nullptr && name->is_string() ? std::string(name->get_string())
                                              : fallback;
}

// Decides one request; `reason` gets the deciding reason id.
bool DecideOne(const PolicySet& policy, const AccessRequest& request,
               const FactSource& facts, std::string* reason) {
  Decision decision = policy.Decide(request, facts);
  boost::json::object why = ExplainDecision(policy, request, facts, decision);
  if (!reason->empty()) *reason += ",";
  *reason += std::string(why["id"].as_string());
  return decision.allowed;
}

Result<CaseResult> RunSingle(const PolicySet& policy,
                             const boost::json::object& one,
                             const boost::json::object& file,
                             const std::string& where) {
  const boost::json::value* request = one.if_contains("request");
  const boost::json::value* expected = one.if_contains("expected");
  if (request == nullptr || !request->is_object()) {
    return Malformed(where + ".request", "must be an object");
  }
  if (expected == nullptr || !expected->is_bool()) {
    return Malformed(where + ".expected", "must be true or false");
  }
  AccessRequest access;
  Status parsed = ParseEvaluation(request->get_object(), &access);
  if (!parsed.ok()) return parsed.WithContext(where + ".request");
  StatedFacts facts(CaseFacts(one, file));
  CaseResult result;
  result.name = CaseName(one, where);
  bool allowed = DecideOne(policy, access, facts, &result.reason);
  result.expected = expected->get_bool() ? "true" : "false";
  result.got = allowed ? "true" : "false";
  result.passed = allowed == expected->get_bool();
  return result;
}

Result<std::vector<bool>> ExpectedList(const boost::json::value* expected,
                                       const std::string& where) {
  if (expected == nullptr || !expected->is_array()) {
    return Malformed(where + ".expected", "must be a list of decisions");
  }
  std::vector<bool> out;
  for (const boost::json::value& item : expected->get_array()) {
    const boost::json::value* decision = &item;
    if (item.is_object()) decision = item.get_object().if_contains("decision");
    if (decision == nullptr || !decision->is_bool()) {
      return Malformed(where + ".expected",
                       "items must be true, false or {\"decision\": ...}");
    }
    out.push_back(decision->get_bool());
  }
  return out;
}

std::string ListText(const std::vector<bool>& list) {
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    out += (i ? "," : "") + std::string(list[i] ? "true" : "false");
  }
  return out + "]";
}

Result<CaseResult> RunBatch(const PolicySet& policy,
                            const boost::json::object& one,
                            const boost::json::object& file,
                            const std::string& where) {
  const boost::json::value* request = one.if_contains("request");
  if (request == nullptr || !request->is_object()) {
    return Malformed(where + ".request", "must be an object");
  }
  WARDEN_ASSIGN_OR_RETURN(std::vector<bool> expected,
                          ExpectedList(one.if_contains("expected"), where));
  Result<EvaluationsRequest> batch = ParseEvaluations(request->get_object());
  if (!batch.ok()) return batch.status().WithContext(where + ".request");
  StatedFacts facts(CaseFacts(one, file));
  CaseResult result;
  result.name = CaseName(one, where);
  std::vector<bool> got;
  for (const BatchItem& item : batch->items) {
    bool allowed = item.error.ok() &&
                   DecideOne(policy, item.request, facts, &result.reason);
    got.push_back(allowed);
    if (StopsAfter(batch->semantic, allowed)) break;
  }
  result.expected = ListText(expected);
  result.got = ListText(got);
  result.passed = got == expected;
  return result;
}

Status RunList(const PolicySet& policy, const boost::json::object& file,
               std::string_view key, bool batch, CaseReport& report) {
  const boost::json::value* list = file.if_contains(key);
  if (list == nullptr) return Status::Ok();
  if (!list->is_array()) return Malformed(std::string(key), "must be a list");
  for (size_t i = 0; i < list->get_array().size(); ++i) {
    std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    const boost::json::value& one = list->get_array()[i];
    if (!one.is_object()) return Malformed(where, "must be an object");
    WARDEN_ASSIGN_OR_RETURN(
        CaseResult result,
        batch ? RunBatch(policy, one.get_object(), file, where)
              : RunSingle(policy, one.get_object(), file, where));
    if (!result.passed) ++report.failed;
    report.results.push_back(std::move(result));
  }
  return Status::Ok();
}

}  // namespace

AttributeValue StatedFacts::Lookup(FactRoot root,
                                   std::span<const std::string> path) const {
  if (facts_ == nullptr) return AttributeValue::Missing();
  const boost::json::value* object = facts_->if_contains(FactKey(root));
  if (object == nullptr || !object->is_object()) {
    return AttributeValue::Missing();
  }
  return WalkJson(&object->get_object(), path);
}

bool StatedFacts::FlagOn(std::string_view flag_key) const {
  if (facts_ == nullptr) return false;
  const boost::json::value* flags = facts_->if_contains("flags_on");
  if (flags == nullptr || !flags->is_array()) return false;
  for (const boost::json::value& flag : flags->get_array()) {
    if (flag.is_string() && flag.get_string() == flag_key) return true;
  }
  return false;
}

bool StatedFacts::Denial(BuiltInDenial* out) const {
  if (facts_ == nullptr) return false;
  const boost::json::value* denial = facts_->if_contains("denial");
  if (denial == nullptr || !denial->is_object()) return false;
  const boost::json::value* code = denial->get_object().if_contains("code");
  const boost::json::value* detail = denial->get_object().if_contains("detail");
  if (code == nullptr || !code->is_string()) return false;
  out->code = code->get_string();
  if (detail != nullptr && detail->is_string())
    out->detail = detail->get_string();
  return true;
}

Result<CaseReport> RunDecisionCases(const boost::json::object& cases,
                                    const PolicyFileReader& read_policy) {
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<const PolicySet> policy,
                          LoadPolicy(cases, read_policy));
  CaseReport report;
  WARDEN_RETURN_IF_ERROR(RunList(*policy, cases, "evaluation", false, report));
  WARDEN_RETURN_IF_ERROR(RunList(*policy, cases, "evaluations", true, report));
  if (report.results.empty()) {
    return Malformed("cases", "no \"evaluation\" or \"evaluations\" cases");
  }
  return report;
}

}  // namespace warden::policy
