#include "policy/role_table.h"

namespace warden::policy {

RoleSet RoleTable::Expand(const RoleSet& direct) const {
  if (direct.none()) return direct;
  RoleSet held;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (direct.test(i)) held |= closure_[i];
  }
  return held;
}

int RoleTable::Add(std::string name) {
  int index = static_cast<int>(names_.size());
  index_.emplace(name, index);
  names_.push_back(std::move(name));
  closure_.emplace_back();
  closure_.back().set(index);
  return index;
}

}  // namespace warden::policy
