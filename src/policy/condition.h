// Conditions of policy rules ("when", "unless"): JSON expressions in the
// operator-object syntax of JsonLogic (jsonlogic.com), with strict
// semantics chosen for access decisions:
//   {"var": "resource.properties.ownerID"}      an attribute (attribute_path.h)
//   "text", 3, true, null, ["a", "b"]           literals (arrays of literals)
//   {"and": [c...]}  {"or": [c...]}  {"!": c}
//   {"==": [a, b]}  {"!=": [a, b]}              strict: same type and value
//   {"<": [a, b]}  {"<=": ...}  {">": ...}  {">=": ...}
//                                               numbers, or strings bytewise
//                                               (RFC 3339 times compare)
//   {"in": [x, list_or_text]}                   membership, or substring
//   {"starts_with": [text, prefix]}  {"ends_with": [text, suffix]}
//   {"has": "path"}                             the attribute is present
//   {"has_role": "editor"} or ["a", "b"]        the subject holds a role
//   {"flag_on": "checkout-v2"}                  the flag is on for the
//                                               request's tenant
// Evaluation is total: a missing attribute or mismatched types make a
// comparison false, never an error, and a condition holds only when it
// evaluates to boolean true ("!" of anything else is true). So a forbid
// rule reading an absent attribute through "!" still forbids: absence
// fails closed. Unlike JsonLogic, "==" never coerces ("1" == 1 is false):
// coercion is a source of authorization bugs.
//
// Compiled once at policy load; Holds() is thread-safe and allocates
// nothing.
#ifndef WARDEN_POLICY_CONDITION_H_
#define WARDEN_POLICY_CONDITION_H_

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "policy/attribute_path.h"
#include "policy/decision_input.h"
#include "policy/role_table.h"

namespace warden::policy {

struct ConditionNode;

class Condition {
 public:
  // kInvalidArgument prefixed with `where` (e.g. "rules[2].when.and[1]")
  // on an unknown operation or attribute, a wrong arity, an unknown role,
  // or a bound of policy_limits.h exceeded.
  static Result<Condition> Compile(const boost::json::value& expr,
                                   std::string_view where,
                                   const RoleTable& roles);

  Condition(Condition&&) noexcept;
  Condition& operator=(Condition&&) noexcept;
  ~Condition();

  bool Holds(const DecisionInput& in) const;
  // The attributes it reads, in order of first appearance (for reasons).
  const std::vector<AttributePath>& paths() const { return paths_; }
  // The flags it asks about.
  const std::vector<std::string>& flags() const { return flags_; }

 private:
  Condition();
  std::unique_ptr<ConditionNode> root_;
  std::vector<AttributePath> paths_;
  std::vector<std::string> flags_;
};

}  // namespace warden::policy

#endif  // WARDEN_POLICY_CONDITION_H_
