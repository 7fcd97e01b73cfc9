// Everything one decision reads, gathered before the rules run: the
// request, Warden's facts, the policy data for the subject and the resource,
// and the roles the subject holds. Views only; lives for one decision.
#ifndef WARDEN_POLICY_DECISION_INPUT_H_
#define WARDEN_POLICY_DECISION_INPUT_H_

#include <boost/json/object.hpp>
#include <string>

#include "policy/access_request.h"
#include "policy/attribute_path.h"
#include "policy/attribute_value.h"
#include "policy/fact_source.h"
#include "policy/role_table.h"

namespace warden::policy {

// An entry of the policy's data: attributes (relations included, e.g.
// "owner", "member_of") and the roles it holds when it is a subject.
struct PolicyEntity {
  std::string type;
  std::string id;
  boost::json::object attributes;
  RoleSet roles;  // direct roles
};

struct DecisionInput {
  const AccessRequest& request;
  const FactSource& facts;
  const PolicyEntity* subject_entity = nullptr;
  const PolicyEntity* resource_entity = nullptr;
  RoleSet held_roles;  // direct roles with everything they inherit
};

// The value at `path`: missing when any segment is absent.
AttributeValue Resolve(const DecisionInput& in, const AttributePath& path);

// Follows `parts` down from `root` (objects by key, arrays by index).
AttributeValue WalkJson(const boost::json::object* root,
                        std::span<const std::string> parts);

}  // namespace warden::policy

#endif  // WARDEN_POLICY_DECISION_INPUT_H_
