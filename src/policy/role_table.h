// Roles of a policy and what they grant (RBAC with inheritance, as in
// NIST's RBAC model: a role inheriting another has all its permissions and
// counts as a holder of it). Compiled once; immutable.
#ifndef WARDEN_POLICY_ROLE_TABLE_H_
#define WARDEN_POLICY_ROLE_TABLE_H_

#include <bitset>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "policy/policy_limits.h"

namespace warden::policy {

using RoleSet = std::bitset<kMaxRoles>;

// Heterogeneous lookup by string_view into maps keyed by std::string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};

class RoleTable {
 public:
  // Index of `name`, or -1.
  int Find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
  }
  const std::string& name(int role) const { return names_[role]; }
  size_t size() const { return names_.size(); }
  // The roles a holder of `role` has: itself and every role it inherits,
  // transitively.
  const RoleSet& Closure(int role) const { return closure_[role]; }
  // The held roles (each with its closure) that `direct` stands for.
  RoleSet Expand(const RoleSet& direct) const;

  // Building (the compiler): names first, then inheritance.
  int Add(std::string name);
  void SetClosure(int role, const RoleSet& closure) {
    closure_[role] = closure;
  }

 private:
  std::vector<std::string> names_;
  std::vector<RoleSet> closure_;
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> index_;
};

}  // namespace warden::policy

#endif  // WARDEN_POLICY_ROLE_TABLE_H_
