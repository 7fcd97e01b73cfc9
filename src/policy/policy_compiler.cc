#include "policy/policy_compiler.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <initializer_list>
#include <set>

#include "policy/policy_limits.h"

namespace warden::policy {
namespace {

Status Invalid(std::string_view where, std::string message) {
  return InvalidArgument(std::string(where) + ": " + message, "policy-invalid");
}

// Fails on a key not in `known`.
Status OnlyKeys(const boost::json::object& object, std::string_view where,
                std::initializer_list<std::string_view> known) {
  for (const auto& member : object) {
    if (std::find(known.begin(), known.end(), member.key()) == known.end()) {
      std::string at =
          where.empty() ? std::string(member.key())
                        : std::string(where) + "." + std::string(member.key());
      return Invalid(at, "unknown field");
    }
  }
  return Status::Ok();
}

Result<const boost::json::object*> ObjectAt(const boost::json::value& value,
                                            std::string_view where) {
  if (!value.is_object()) return Invalid(where, "must be an object");
  return &value.get_object();
}

Result<std::string> StringAt(const boost::json::object& object,
                             std::string_view key, std::string_view where,
                             bool required) {
  const boost::json::value* v = object.if_contains(key);
  std::string at = std::string(where) + "." + std::string(key);
  if (v == nullptr || v->is_null()) {
    if (required) return Invalid(at, "is required");
    return std::string();
  }
  if (!v->is_string()) return Invalid(at, "must be a string");
  if (required && v->get_string().empty()) return Invalid(at, "is empty");
  return std::string(v->get_string());
}

Result<std::vector<std::string>> StringList(const boost::json::object& object,
                                            std::string_view key,
                                            std::string_view where) {
  std::vector<std::string> out;
  const boost::json::value* v = object.if_contains(key);
  std::string at = std::string(where) + "." + std::string(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return Invalid(at, "must be a list of strings");
  for (size_t i = 0; i < v->get_array().size(); ++i) {
    const boost::json::value& item = v->get_array()[i];
    if (!item.is_string() || item.get_string().empty()) {
      return Invalid(at + "[" + std::to_string(i) + "]",
                     "must be a non-empty string");
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

}  // namespace

// Builds a PolicySet part by part; each step validates its part.
class PolicyCompiler {
 public:
  Result<std::shared_ptr<const PolicySet>> Compile(
      const boost::json::value& document);

 private:
  Status Roles(const boost::json::object& roles);
  Status Inheritance(const boost::json::object& roles);
  Status Entities(const boost::json::array& entities);
  Status OneEntity(const boost::json::value& value, const std::string& where);
  Status Rules(const boost::json::array& rules);
  Result<Rule> OneRule(const boost::json::value& value,
                       const std::string& where, size_t index);
  Status Scope(const boost::json::object& rule, const std::string& where,
               Rule& out);
  Result<RoleSet> RoleNames(const boost::json::object& object,
                            std::string_view key, std::string_view where);
  void IndexActions();

  std::shared_ptr<PolicySet> set_ = std::make_shared<PolicySet>();
  // role -> actions it lists directly
  std::vector<std::vector<std::string>> permissions_;
};

Result<std::shared_ptr<const PolicySet>> PolicyCompiler::Compile(
    const boost::json::value& document) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::object* top,
                          ObjectAt(document, "policy"));
  WARDEN_RETURN_IF_ERROR(
      OnlyKeys(*top, "", {"description", "roles", "entities", "rules"}));
  WARDEN_ASSIGN_OR_RETURN(set_->description_,
                          StringAt(*top, "description", "policy", false));
  if (const auto* roles = top->if_contains("roles")) {
    WARDEN_ASSIGN_OR_RETURN(const boost::json::object* object,
                            ObjectAt(*roles, "roles"));
    WARDEN_RETURN_IF_ERROR(Roles(*object));
  }
  if (const auto* entities = top->if_contains("entities")) {
    if (!entities->is_array()) return Invalid("entities", "must be a list");
    WARDEN_RETURN_IF_ERROR(Entities(entities->get_array()));
  }
  const auto* rules = top->if_contains("rules");
  if (rules != nullptr && !rules->is_array()) {
    return Invalid("rules", "must be a list");
  }
  if (rules != nullptr) WARDEN_RETURN_IF_ERROR(Rules(rules->get_array()));
  if (set_->rules_.empty() && set_->roles_.size() == 0) {
    return Invalid("policy", "grants nothing: it has neither rules nor roles");
  }
  IndexActions();
  return std::shared_ptr<const PolicySet>(std::move(set_));
}

Status PolicyCompiler::Roles(const boost::json::object& roles) {
  if (roles.size() > kMaxRoles) {
    return Invalid("roles",
                   "more than " + std::to_string(kMaxRoles) + " roles");
  }
  for (const auto& [name, spec] : roles) {
    std::string where = "roles." + std::string(name);
    if (name.empty()) return Invalid("roles", "a role name is empty");
    WARDEN_ASSIGN_OR_RETURN(const boost::json::object* object,
                            ObjectAt(spec, where));
    WARDEN_RETURN_IF_ERROR(
        OnlyKeys(*object, where, {"description", "inherits", "permissions"}));
    WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> permissions,
                            StringList(*object, "permissions", where));
    set_->roles_.Add(std::string(name));
    permissions_.push_back(std::move(permissions));
  }
  return Inheritance(roles);
}

// Closure by repeated relaxation: at most kMaxRoles rounds; a role that
// ends up inheriting itself through another is a cycle.
Status PolicyCompiler::Inheritance(const boost::json::object& roles) {
  RoleTable& table = set_->roles_;
  std::vector<RoleSet> direct(table.size());
  for (const auto& [name, spec] : roles) {
    int role = table.Find(name);
    std::string where = "roles." + std::string(name);
    WARDEN_ASSIGN_OR_RETURN(RoleSet parents,
                            RoleNames(spec.get_object(), "inherits", where));
    if (parents.test(role)) return Invalid(where, "inherits itself");
    direct[role] = parents;
  }
  for (size_t round = 0; round <= table.size(); ++round) {
    bool changed = false;
    for (size_t role = 0; role < table.size(); ++role) {
      RoleSet closure = table.Closure(static_cast<int>(role));
      for (size_t parent = 0; parent < table.size(); ++parent) {
        if (direct[role].test(parent)) {
          closure |= table.Closure(static_cast<int>(parent));
        }
      }
      if (closure != table.Closure(static_cast<int>(role))) {
        table.SetClosure(static_cast<int>(role), closure);
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (size_t role = 0; role < table.size(); ++role) {
    for (size_t parent = 0; parent < table.size(); ++parent) {
      if (parent != role && direct[role].test(parent) &&
          table.Closure(static_cast<int>(parent)).test(role)) {
        return Invalid("roles." + table.name(static_cast<int>(role)),
                       "inheritance cycle through \"" +
                           table.name(static_cast<int>(parent)) + "\"");
      }
    }
  }
  return Status::Ok();
}

Result<RoleSet> PolicyCompiler::RoleNames(const boost::json::object& object,
                                          std::string_view key,
                                          std::string_view where) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> names,
                          StringList(object, key, where));
  RoleSet roles;
  for (size_t i = 0; i < names.size(); ++i) {
    int role = set_->roles_.Find(names[i]);
    if (role < 0) {
      return Invalid(std::string(where) + "." + std::string(key) + "[" +
                         std::to_string(i) + "]",
                     "unknown role \"" + names[i] + "\"");
    }
    roles.set(role);
  }
  return roles;
}

Status PolicyCompiler::Entities(const boost::json::array& entities) {
  if (entities.size() > kMaxEntities) {
    return Invalid("entities",
                   "more than " + std::to_string(kMaxEntities) + " entities");
  }
  set_->entities_.reserve(entities.size());
  for (size_t i = 0; i < entities.size(); ++i) {
    WARDEN_RETURN_IF_ERROR(
        OneEntity(entities[i], "entities[" + std::to_string(i) + "]"));
  }
  return Status::Ok();
}

Status PolicyCompiler::OneEntity(const boost::json::value& value,
                                 const std::string& where) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::object* object,
                          ObjectAt(value, where));
  WARDEN_RETURN_IF_ERROR(
      OnlyKeys(*object, where, {"type", "id", "roles", "attributes"}));
  PolicyEntity entity;
  WARDEN_ASSIGN_OR_RETURN(entity.type, StringAt(*object, "type", where, true));
  WARDEN_ASSIGN_OR_RETURN(entity.id, StringAt(*object, "id", where, true));
  WARDEN_ASSIGN_OR_RETURN(entity.roles, RoleNames(*object, "roles", where));
  if (const auto* attributes = object->if_contains("attributes")) {
    WARDEN_ASSIGN_OR_RETURN(const boost::json::object* attrs,
                            ObjectAt(*attributes, where + ".attributes"));
    entity.attributes = *attrs;
  }
  auto& by_id = set_->entity_index_[entity.type];
  if (by_id.contains(entity.id)) {
    return Invalid(where,
                   "repeats entity " + entity.type + " \"" + entity.id + "\"");
  }
  by_id.emplace(entity.id, static_cast<int>(set_->entities_.size()));
  set_->entities_.push_back(std::move(entity));
  return Status::Ok();
}

Status PolicyCompiler::Rules(const boost::json::array& rules) {
  if (rules.size() > kMaxRules) {
    return Invalid("rules",
                   "more than " + std::to_string(kMaxRules) + " rules");
  }
  std::set<std::string, std::less<>> ids;
  set_->rules_.reserve(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string where = "rules[" + std::to_string(i) + "]";
    WARDEN_ASSIGN_OR_RETURN(Rule rule, OneRule(rules[i], where, i));
    if (!ids.insert(rule.id).second) {
      return Invalid(where + ".id", "repeats rule id \"" + rule.id + "\"");
    }
    set_->rules_.push_back(std::move(rule));
  }
  return Status::Ok();
}

Result<Rule> PolicyCompiler::OneRule(const boost::json::value& value,
                                     const std::string& where, size_t index) {
  WARDEN_ASSIGN_OR_RETURN(const boost::json::object* object,
                          ObjectAt(value, where));
  WARDEN_RETURN_IF_ERROR(OnlyKeys(*object, where,
                                  {"id", "description", "effect", "subject",
                                   "actions", "resource", "when", "unless"}));
  Rule rule;
  WARDEN_ASSIGN_OR_RETURN(rule.id, StringAt(*object, "id", where, false));
  if (rule.id.empty()) rule.id = "rules[" + std::to_string(index) + "]";
  WARDEN_ASSIGN_OR_RETURN(rule.description,
                          StringAt(*object, "description", where, false));
  WARDEN_ASSIGN_OR_RETURN(std::string effect,
                          StringAt(*object, "effect", where, true));
  if (effect != "permit" && effect != "forbid") {
    return Invalid(where + ".effect", "must be \"permit\" or \"forbid\"");
  }
  rule.effect = effect == "permit" ? Effect::kPermit : Effect::kForbid;
  WARDEN_RETURN_IF_ERROR(Scope(*object, where, rule));
  for (auto [key, slot] :
       {std::pair{"when", &rule.when}, std::pair{"unless", &rule.unless}}) {
    const boost::json::value* expr = object->if_contains(key);
    if (expr == nullptr) continue;
    WARDEN_ASSIGN_OR_RETURN(
        Condition condition,
        Condition::Compile(*expr, where + "." + key, set_->roles_));
    slot->emplace(std::move(condition));
  }
  return rule;
}

Status PolicyCompiler::Scope(const boost::json::object& rule,
                             const std::string& where, Rule& out) {
  WARDEN_ASSIGN_OR_RETURN(out.actions, StringList(rule, "actions", where));
  if (const auto* subject = rule.if_contains("subject")) {
    std::string at = where + ".subject";
    WARDEN_ASSIGN_OR_RETURN(const boost::json::object* s,
                            ObjectAt(*subject, at));
    WARDEN_RETURN_IF_ERROR(OnlyKeys(*s, at, {"types", "ids", "roles"}));
    WARDEN_ASSIGN_OR_RETURN(out.subject_types, StringList(*s, "types", at));
    WARDEN_ASSIGN_OR_RETURN(out.subject_ids, StringList(*s, "ids", at));
    WARDEN_ASSIGN_OR_RETURN(out.subject_roles, RoleNames(*s, "roles", at));
  }
  if (const auto* resource = rule.if_contains("resource")) {
    std::string at = where + ".resource";
    WARDEN_ASSIGN_OR_RETURN(const boost::json::object* r,
                            ObjectAt(*resource, at));
    WARDEN_RETURN_IF_ERROR(OnlyKeys(*r, at, {"types", "ids"}));
    WARDEN_ASSIGN_OR_RETURN(out.resource_types, StringList(*r, "types", at));
    WARDEN_ASSIGN_OR_RETURN(out.resource_ids, StringList(*r, "ids", at));
  }
  return Status::Ok();
}

void PolicyCompiler::IndexActions() {
  PolicySet& set = *set_;
  std::set<std::string> names;
  for (size_t role = 0; role < permissions_.size(); ++role) {
    for (const std::string& action : permissions_[role]) {
      set.by_action_[action].grantors.set(role);
      names.insert(action);
    }
  }
  for (size_t i = 0; i < set.rules_.size(); ++i) {
    const Rule& rule = set.rules_[i];
    auto add = [&](PolicySet::ActionEntry& entry) {
      (rule.effect == Effect::kForbid ? entry.forbids : entry.permits)
          .push_back(static_cast<int>(i));
    };
    if (rule.actions.empty()) add(set.any_action_);
    for (const std::string& action : rule.actions) {
      add(set.by_action_[action]);
      names.insert(action);
    }
  }
  set.action_names_.assign(names.begin(), names.end());
}

Result<std::shared_ptr<const PolicySet>> CompilePolicy(
    const boost::json::value& document) {
  return PolicyCompiler().Compile(document);
}

Result<boost::json::value> ParsePolicyJson(std::string_view text,
                                           std::string_view what) {
  if (text.size() > kMaxPolicyBytes) {
    return InvalidArgument(std::string(what) + " is larger than " +
                               std::to_string(kMaxPolicyBytes) + " bytes",
                           "policy-invalid");
  }
  boost::json::parse_options options;
  options.max_depth = kMaxDocumentDepth;
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error, {}, options);
  if (error) {
    return InvalidArgument(
        std::string(what) + " is not valid JSON: " + error.message(),
        "malformed-json");
  }
  return value;
}

Result<std::shared_ptr<const PolicySet>> CompilePolicyText(
    std::string_view text) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::value document,
                          ParsePolicyJson(text, "the policy"));
  return CompilePolicy(document);
}

}  // namespace warden::policy
