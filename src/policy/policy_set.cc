#include "policy/policy_set.h"

#include <algorithm>

namespace warden::policy {
namespace {

bool InList(const std::vector<std::string>& list, std::string_view value) {
  if (list.empty()) return true;
  return std::find(list.begin(), list.end(), value) != list.end();
}

int FirstRole(const RoleSet& roles) {
  for (size_t i = 0; i < roles.size(); ++i) {
    if (roles.test(i)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::string_view EffectName(Effect effect) {
  return effect == Effect::kPermit ? "permit" : "forbid";
}

const PolicyEntity* PolicySet::FindEntity(std::string_view type,
                                          std::string_view id) const {
  auto by_type = entity_index_.find(type);
  if (by_type == entity_index_.end()) return nullptr;
  auto found = by_type->second.find(id);
  return found == by_type->second.end() ? nullptr : &entities_[found->second];
}

std::vector<const PolicyEntity*> PolicySet::EntitiesOfType(
    std::string_view type) const {
  std::vector<const PolicyEntity*> out;
  for (const PolicyEntity& entity : entities_) {
    if (entity.type == type) out.push_back(&entity);
  }
  return out;
}

RoleSet PolicySet::DirectRoles(const AccessRequest& request,
                               const PolicyEntity* entity) const {
  RoleSet direct;
  if (entity != nullptr) direct = entity->roles;
  if (request.subject.properties == nullptr) return direct;
  const auto* claimed = request.subject.properties->if_contains("roles");
  if (claimed == nullptr || !claimed->is_array()) return direct;
  for (const boost::json::value& name : claimed->get_array()) {
    if (!name.is_string()) continue;
    int role = roles_.Find(name.get_string());
    if (role >= 0) direct.set(role);
  }
  return direct;
}

DecisionInput PolicySet::Gather(const AccessRequest& request,
                                const FactSource& facts) const {
  DecisionInput in{request, facts, nullptr, nullptr, {}};
  in.subject_entity = FindEntity(request.subject.type, request.subject.id);
  in.resource_entity = FindEntity(request.resource.type, request.resource.id);
  in.held_roles = roles_.Expand(DirectRoles(request, in.subject_entity));
  return in;
}

bool PolicySet::Applies(const Rule& rule, const DecisionInput& in) const {
  const AccessRequest& r = in.request;
  if (!InList(rule.subject_types, r.subject.type) ||
      !InList(rule.subject_ids, r.subject.id) ||
      !InList(rule.resource_types, r.resource.type) ||
      !InList(rule.resource_ids, r.resource.id)) {
    return false;
  }
  if (rule.subject_roles.any() && (rule.subject_roles & in.held_roles).none()) {
    return false;
  }
  if (rule.when && !rule.when->Holds(in)) return false;
  return !(rule.unless && rule.unless->Holds(in));
}

const Rule* PolicySet::FirstApplying(const std::vector<int>& candidates,
                                     const DecisionInput& in) const {
  for (int index : candidates) {
    if (Applies(rules_[index], in)) return &rules_[index];
  }
  return nullptr;
}

Decision PolicySet::Decide(const AccessRequest& request,
                           const FactSource& facts) const {
  Decision decision;
  if (facts.Denial(&decision.denial)) {
    decision.basis = Decision::Basis::kBuiltInDenial;
    return decision;
  }
  const DecisionInput in = Gather(request, facts);
  auto found = by_action_.find(request.action);
  const ActionEntry* entry =
      found == by_action_.end() ? nullptr : &found->second;
  for (const std::vector<int>* forbids :
       {entry ? &entry->forbids : nullptr, &any_action_.forbids}) {
    if (forbids == nullptr) continue;
    if (const Rule* rule = FirstApplying(*forbids, in)) {
      decision.basis = Decision::Basis::kRule;
      decision.rule = rule;
      return decision;
    }
  }
  for (const std::vector<int>* permits :
       {entry ? &entry->permits : nullptr, &any_action_.permits}) {
    if (permits == nullptr) continue;
    if (const Rule* rule = FirstApplying(*permits, in)) {
      decision.allowed = true;
      decision.basis = Decision::Basis::kRule;
      decision.rule = rule;
      return decision;
    }
  }
  if (entry != nullptr) {
    RoleSet granting = entry->grantors & in.held_roles;
    if (granting.any()) {
      decision.allowed = true;
      decision.basis = Decision::Basis::kRolePermission;
      decision.role = FirstRole(granting);
    }
  }
  return decision;
}

}  // namespace warden::policy
