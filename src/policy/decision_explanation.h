// Why a decision came out as it did, as the AuthZEN response "context"
// carries it (Authorization API 1.0, 6.2: a Reason Object with "id" and
// "reason_admin"), extended with what decided and the facts it read:
//   {"id": "rule:editors-own-todos" | "role:admin" | "limit" | ...
//                                   | "no-permit",
//    "reason_admin": {"en": "permitted by rule editors-own-todos"},
//    "basis": "rule" | "role" | "built-in" | "default-deny",
//    "effect": "permit" | "forbid",            (basis "rule")
//    "rule": "...", "role": "...",             (when one decided)
//    "facts": {"resource.properties.ownerID": "morty@...", ...}}
// "facts" holds every attribute the deciding rule's conditions read, with
// the value it had (null when absent). Built after the decision, off the
// decision's allocation-free path.
#ifndef WARDEN_POLICY_DECISION_EXPLANATION_H_
#define WARDEN_POLICY_DECISION_EXPLANATION_H_

#include <boost/json/object.hpp>

#include "policy/policy_set.h"

namespace warden::policy {

boost::json::object ExplainDecision(const PolicySet& policy,
                                    const AccessRequest& request,
                                    const FactSource& facts,
                                    const Decision& decision);

// The explanation's "id" alone, without the facts (cheap: for counting).
std::string ReasonId(const PolicySet& policy, const Decision& decision);

// The value as JSON (missing and null both as null).
boost::json::value ToJson(const AttributeValue& value);

}  // namespace warden::policy

#endif  // WARDEN_POLICY_DECISION_EXPLANATION_H_
