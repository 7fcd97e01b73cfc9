// PolicySet: one compiled access policy, immutable, evaluated without locks
// or allocation. Built by CompilePolicy (policy_compiler.h).
//
// A policy is roles with their permissions (RBAC with inheritance), data
// about entities (attributes and relations such as "owner" or "member_of",
// and the roles a subject holds) and rules. A rule has an effect (permit or
// forbid), a scope (subject types, ids and roles; actions; resource types
// and ids: each empty list matches everything) and optional "when" and
// "unless" conditions (condition.h). The decision, as in Cedar:
//   1. a built-in denial (fact_source.h: an exposure limit holding on the
//      request's tenant or integration, an inactive identity) denies;
//   2. any applicable forbid rule denies;
//   3. any applicable permit rule, or a role the subject holds that grants
//      the action, permits;
//   4. otherwise deny (deny by default).
// So an explicit forbid always wins, and the order of rules never matters.
//
// The subject's roles: those its entry in the policy data lists, plus the
// strings in the request's subject.properties.roles (the caller is the
// enforcement point, trusted with the request it sends: AuthZEN 1.0,
// "Trust"); unknown names are ignored.
//
// Thread-safety: immutable; any number of threads may decide at once.
#ifndef WARDEN_POLICY_POLICY_SET_H_
#define WARDEN_POLICY_POLICY_SET_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "policy/access_request.h"
#include "policy/condition.h"
#include "policy/decision_input.h"
#include "policy/fact_source.h"
#include "policy/role_table.h"

namespace warden::policy {

enum class Effect { kPermit, kForbid };
std::string_view EffectName(Effect effect);

struct Rule {
  std::string id;
  std::string description;
  Effect effect = Effect::kPermit;
  std::vector<std::string> subject_types;
  std::vector<std::string> subject_ids;
  RoleSet subject_roles;  // none: any subject
  std::vector<std::string> actions;
  std::vector<std::string> resource_types;
  std::vector<std::string> resource_ids;
  std::optional<Condition> when;
  std::optional<Condition> unless;
};

struct Decision {
  enum class Basis { kNoPermit, kRule, kRolePermission, kBuiltInDenial };
  bool allowed = false;
  Basis basis = Basis::kNoPermit;
  const Rule* rule = nullptr;  // kRule
  int role = -1;               // kRolePermission: the granting role
  BuiltInDenial denial;        // kBuiltInDenial
};

class PolicySet {
 public:
  PolicySet() = default;
  PolicySet(const PolicySet&) = delete;
  PolicySet& operator=(const PolicySet&) = delete;

  Decision Decide(const AccessRequest& request, const FactSource& facts) const;

  // What Decide reads for `request` (also used to explain a decision).
  DecisionInput Gather(const AccessRequest& request,
                       const FactSource& facts) const;

  const std::string& description() const { return description_; }
  const RoleTable& roles() const { return roles_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const PolicyEntity* FindEntity(std::string_view type,
                                 std::string_view id) const;
  // Entities of `type` in the order the policy lists them.
  std::vector<const PolicyEntity*> EntitiesOfType(std::string_view type) const;
  // Every action the policy names (roles' permissions and rules), sorted.
  const std::vector<std::string>& actions() const { return action_names_; }

 private:
  friend class PolicyCompiler;

  struct ActionEntry {
    RoleSet grantors;  // roles whose holders the action is granted to
    std::vector<int> forbids;
    std::vector<int> permits;
  };
  using EntityIndex =
      std::unordered_map<std::string, int, StringHash, std::equal_to<>>;

  bool Applies(const Rule& rule, const DecisionInput& in) const;
  // The first rule among `candidates` that applies, or nullptr.
  const Rule* FirstApplying(const std::vector<int>& candidates,
                            const DecisionInput& in) const;
  RoleSet DirectRoles(const AccessRequest& request,
                      const PolicyEntity* entity) const;

  std::string description_;
  RoleTable roles_;
  std::vector<Rule> rules_;
  std::vector<PolicyEntity> entities_;
  std::unordered_map<std::string, EntityIndex, StringHash, std::equal_to<>>
      entity_index_;  // type -> id -> entities_ index
  std::unordered_map<std::string, ActionEntry, StringHash, std::equal_to<>>
      by_action_;
  ActionEntry any_action_;  // rules without an action list
  std::vector<std::string> action_names_;
};

}  // namespace warden::policy

#endif  // WARDEN_POLICY_POLICY_SET_H_
