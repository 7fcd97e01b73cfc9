#include "access/request_facts.h"

#include "policy/decision_input.h"

namespace warden::access {

policy::AttributeValue RequestFacts::Lookup(
    policy::FactRoot root, std::span<const std::string> path) const {
  switch (root) {
    case policy::FactRoot::kSubjectIdentity:
      return policy::WalkJson(subject_identity.get(), path);
    case policy::FactRoot::kCaller:
      return policy::WalkJson(caller.get(), path);
    case policy::FactRoot::kTenant:
      return policy::WalkJson(&tenant, path);
    case policy::FactRoot::kNow:
      return policy::WalkJson(now.get(), path);
  }
  return policy::AttributeValue::Missing();
}

bool RequestFacts::FlagOn(std::string_view flag_key) const {
  if (exposure == nullptr) return false;
  const eval::EvaluationResult result =
      exposure->Evaluate(flag_key, flag_context);
  switch (result.reason) {
    case eval::Reason::kError:
    case eval::Reason::kDisabled:
    case eval::Reason::kLimited:
    case eval::Reason::kGated:
    case eval::Reason::kStaged:
      return false;
    default:
      break;
  }
  if (result.value == nullptr) return false;
  if (result.type == eval::FlagType::kBoolean) {
    return result.value->is_bool() && result.value->get_bool();
  }
  return true;
}

bool RequestFacts::Denial(policy::BuiltInDenial* out) const {
  if (denial_code.empty()) return false;
  out->code = denial_code;
  out->detail = denial_detail;
  return true;
}

}  // namespace warden::access
