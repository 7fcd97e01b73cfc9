// Loads an access policy document (JSON; docs/POLICIES.md is the guide):
//
//   {
//     "description": "...",
//     "roles": {"editor": {"inherits": ["viewer"],
//                          "permissions": ["can_create_todo"]}, ...},
//     "entities": [{"type": "user", "id": "...", "roles": ["editor"],
//                   "attributes": {"email": "...", "member_of": [...]}}],
//     "rules": [{"id": "...", "effect": "permit" | "forbid",
//                "description": "...",
//                "subject": {"types": [...], "ids": [...], "roles": [...]},
//                "actions": [...],
//                "resource": {"types": [...], "ids": [...]},
//                "when": condition, "unless": condition}]
//   }
//
// Every part is validated at load; an error names the path of the
// offending part ("rules[3].when.and[1].==: takes 2 argument(s)",
// "roles.admin.inherits[0]: unknown role \"editr\""), with the problem
// slug "policy-invalid". Unknown keys are errors: a misspelt "unles" must
// not silently drop a restriction.
#ifndef WARDEN_POLICY_POLICY_COMPILER_H_
#define WARDEN_POLICY_POLICY_COMPILER_H_

#include <boost/json/value.hpp>
#include <memory>
#include <string_view>

#include "core/status.h"
#include "policy/policy_set.h"

namespace warden::policy {

Result<std::shared_ptr<const PolicySet>> CompilePolicy(
    const boost::json::value& document);

// Parses `text` (at most kMaxPolicyBytes, nested at most kMaxDocumentDepth)
// and compiles it.
Result<std::shared_ptr<const PolicySet>> CompilePolicyText(
    std::string_view text);

// Parses JSON text under the document bounds (also for case files).
Result<boost::json::value> ParsePolicyJson(std::string_view text,
                                           std::string_view what);

}  // namespace warden::policy

#endif  // WARDEN_POLICY_POLICY_COMPILER_H_
