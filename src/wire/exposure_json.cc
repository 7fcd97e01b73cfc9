#include "wire/exposure_json.h"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <set>

namespace warden::wire {
namespace {

namespace json = boost::json;

// Bounds on one flag document beyond what eval::EvalLimits checks: they
// keep a single request from building huge intermediate vectors.
constexpr size_t kMaxRules = 1'000;
constexpr size_t kMaxConditions = 100;
constexpr size_t kMaxRollout = 1'000;

std::string Join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return fmt::format("{}.{}", path, key);
}

std::string Index(std::string_view path, size_t i) {
  return fmt::format("{}[{}]", path, i);
}

Status WrongType(std::string_view path, std::string_view expected) {
  return InvalidArgument(fmt::format("{} must be {}", path, expected),
                         "wrong-type");
}

// Strict access to one object's members: remembers what was asked for so
// Finish() can refuse the rest.
class Fields {
 public:
  Fields(const json::object& object, std::string path)
      : object_(object), path_(std::move(path)) {}

  // The member, or nullptr when absent or null.
  const json::value* Find(std::string_view key) {
    known_.emplace(key);
    const json::value* v = object_.if_contains(key);
    return (v == nullptr || v->is_null()) ? nullptr : v;
  }
  std::string Path(std::string_view key) const { return Join(path_, key); }

  Status Required(std::string_view key, const json::value** out) {
    *out = Find(key);
    if (*out != nullptr) return Status::Ok();
    return InvalidArgument(fmt::format("{} is required", Path(key)),
                           "missing-field");
  }

  Status String(std::string_view key, std::string* out, bool required = false) {
    const json::value* v = Find(key);
    if (v == nullptr) {
      if (!required) return Status::Ok();
      return InvalidArgument(fmt::format("{} is required", Path(key)),
                             "missing-field");
    }
    if (!v->is_string()) return WrongType(Path(key), "a string");
    *out = std::string(v->get_string());
    return Status::Ok();
  }

  Status OptionalString(std::string_view key, std::optional<std::string>* out) {
    const json::value* v = Find(key);
    if (v == nullptr) return Status::Ok();
    if (!v->is_string()) return WrongType(Path(key), "a string or null");
    *out = std::string(v->get_string());
    return Status::Ok();
  }

  Status Finish() const {
    for (const auto& member : object_) {
      if (known_.count(member.key()) == 0) {
        return InvalidArgument(
            fmt::format("{} is not a known field", Path(member.key())),
            "unknown-field");
      }
    }
    return Status::Ok();
  }

 private:
  const json::object& object_;
  const std::string path_;
  std::set<std::string, std::less<>> known_;
};

Result<const json::object*> AsObject(const json::value& v,
                                     std::string_view path) {
  if (!v.is_object()) return WrongType(path, "an object");
  return &v.get_object();
}

Result<const json::array*> AsArray(const json::value& v, std::string_view path,
                                   size_t max_items) {
  if (!v.is_array()) return WrongType(path, "an array");
  if (v.get_array().size() > max_items) {
    return InvalidArgument(
        fmt::format("{} has more than {} items", path, max_items),
        "invalid-value");
  }
  return &v.get_array();
}

Result<eval::Condition> ConditionFromJson(const json::value& v,
                                          const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(const json::object* object, AsObject(v, path));
  Fields fields(*object, path);
  eval::Condition condition;
  std::string op;
  WARDEN_RETURN_IF_ERROR(fields.String("op", &op, true));
  Result<eval::ConditionOp> parsed = eval::ParseConditionOp(op);
  if (!parsed.ok()) {
    return InvalidArgument(fmt::format("{}: unknown operator \"{}\"",
                                       fields.Path("op"), op.substr(0, 64)),
                           "invalid-value");
  }
  condition.op = *parsed;
  const bool segment_op = condition.op == eval::ConditionOp::kInSegment ||
                          condition.op == eval::ConditionOp::kNotInSegment;
  WARDEN_RETURN_IF_ERROR(
      fields.String("attribute", &condition.attribute, !segment_op));
  const json::value* value = nullptr;
  WARDEN_RETURN_IF_ERROR(fields.Required("value", &value));
  condition.operand = *value;
  WARDEN_RETURN_IF_ERROR(fields.Finish());
  return condition;
}

Result<eval::TargetingRule> RuleFromJson(const json::value& v,
                                         const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(const json::object* object, AsObject(v, path));
  Fields fields(*object, path);
  eval::TargetingRule rule;
  WARDEN_RETURN_IF_ERROR(fields.String("variant", &rule.variant, true));
  const json::value* conditions = nullptr;
  WARDEN_RETURN_IF_ERROR(fields.Required("conditions", &conditions));
  WARDEN_ASSIGN_OR_RETURN(
      rule.conditions,
      ConditionsFromJson(*conditions, fields.Path("conditions")));
  WARDEN_RETURN_IF_ERROR(fields.Finish());
  return rule;
}

Result<eval::WeightedVariant> WeightFromJson(const json::value& v,
                                             const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(const json::object* object, AsObject(v, path));
  Fields fields(*object, path);
  eval::WeightedVariant weighted;
  WARDEN_RETURN_IF_ERROR(fields.String("variant", &weighted.variant, true));
  const json::value* weight = nullptr;
  WARDEN_RETURN_IF_ERROR(fields.Required("weight", &weight));
  if (!weight->is_int64() || weight->get_int64() < 0 ||
      weight->get_int64() > 1'000'000) {
    return InvalidArgument(fmt::format("{} must be an integer in [0, 1000000]",
                                       fields.Path("weight")),
                           "invalid-value");
  }
  weighted.weight = static_cast<int32_t>(weight->get_int64());
  WARDEN_RETURN_IF_ERROR(fields.Finish());
  return weighted;
}

Status ReadVariants(Fields& fields, eval::Flag& flag) {
  const json::value* v = nullptr;
  WARDEN_RETURN_IF_ERROR(fields.Required("variants", &v));
  WARDEN_ASSIGN_OR_RETURN(const json::object* variants,
                          AsObject(*v, fields.Path("variants")));
  for (const auto& member : *variants) {
    flag.variants.push_back({std::string(member.key()), member.value()});
  }
  return Status::Ok();
}

Status ReadTargeting(Fields& fields, eval::Flag& flag) {
  if (const json::value* rules = fields.Find("rules")) {
    WARDEN_ASSIGN_OR_RETURN(const json::array* items,
                            AsArray(*rules, fields.Path("rules"), kMaxRules));
    for (size_t i = 0; i < items->size(); ++i) {
      WARDEN_ASSIGN_OR_RETURN(
          eval::TargetingRule rule,
          RuleFromJson((*items)[i], Index(fields.Path("rules"), i)));
      flag.rules.push_back(std::move(rule));
    }
  }
  if (const json::value* rollout = fields.Find("rollout")) {
    WARDEN_ASSIGN_OR_RETURN(
        const json::array* items,
        AsArray(*rollout, fields.Path("rollout"), kMaxRollout));
    for (size_t i = 0; i < items->size(); ++i) {
      WARDEN_ASSIGN_OR_RETURN(
          eval::WeightedVariant weighted,
          WeightFromJson((*items)[i], Index(fields.Path("rollout"), i)));
      flag.rollout.push_back(std::move(weighted));
    }
  }
  if (const json::value* logic = fields.Find("targeting")) {
    if (!flag.rules.empty() || !flag.rollout.empty()) {
      return InvalidArgument(
          "targeting: JsonLogic targeting cannot be combined with rules or "
          "rollout",
          "invalid-value");
    }
    flag.json_logic = *logic;
  }
  return Status::Ok();
}

Status ReadMetadata(Fields& fields, FlagSpec& spec) {
  eval::FlagMetadata& metadata = spec.flag.metadata;
  WARDEN_RETURN_IF_ERROR(fields.String("owner_team", &metadata.owner_team));
  WARDEN_RETURN_IF_ERROR(fields.String("release", &metadata.release));
  WARDEN_RETURN_IF_ERROR(fields.String("description", &metadata.description));
  if (const json::value* extra = fields.Find("metadata")) {
    WARDEN_ASSIGN_OR_RETURN(const json::object* object,
                            AsObject(*extra, fields.Path("metadata")));
    for (const auto& member : *object) {
      const json::value& value = member.value();
      if (!value.is_string() && !value.is_number() && !value.is_bool()) {
        return WrongType(Join(fields.Path("metadata"), member.key()),
                         "a string, number or boolean");
      }
    }
    metadata.extra = *object;
  }
  if (const json::value* days = fields.Find("stale_after_days")) {
    if (!days->is_int64() || days->get_int64() < 1 ||
        days->get_int64() > kMaxStaleAfterDays) {
      return InvalidArgument(
          fmt::format("stale_after_days must be an integer in [1, {}]",
                      kMaxStaleAfterDays),
          "invalid-value");
    }
    spec.stale_after_days = static_cast<int>(days->get_int64());
  }
  return Status::Ok();
}

Status ReadKindAndState(Fields& fields, eval::Flag& flag) {
  std::string type = "boolean";
  WARDEN_RETURN_IF_ERROR(fields.String("type", &type));
  Result<eval::FlagType> parsed = eval::ParseFlagType(type);
  if (!parsed.ok()) {
    return InvalidArgument(
        fmt::format("type must be one of boolean, string, integer, float, "
                    "object, got \"{}\"",
                    type.substr(0, 64)),
        "invalid-value");
  }
  flag.type = *parsed;
  std::string state = "enabled";
  WARDEN_RETURN_IF_ERROR(fields.String("state", &state));
  if (state != "enabled" && state != "disabled") {
    return InvalidArgument(
        fmt::format("state must be enabled or disabled, got \"{}\"",
                    state.substr(0, 64)),
        "invalid-value");
  }
  flag.state = state == "enabled" ? eval::FlagState::kEnabled
                                  : eval::FlagState::kDisabled;
  return Status::Ok();
}

json::value OptionalText(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

}  // namespace

Result<FlagSpec> FlagSpecFromJson(const json::object& json) {
  Fields fields(json, "");
  FlagSpec spec;
  eval::Flag& flag = spec.flag;
  WARDEN_RETURN_IF_ERROR(fields.String("key", &flag.key, true));
  WARDEN_RETURN_IF_ERROR(ReadKindAndState(fields, flag));
  WARDEN_RETURN_IF_ERROR(ReadVariants(fields, flag));
  WARDEN_RETURN_IF_ERROR(
      fields.OptionalString("default_variant", &flag.default_variant));
  WARDEN_RETURN_IF_ERROR(
      fields.OptionalString("off_variant", &flag.off_variant));
  WARDEN_RETURN_IF_ERROR(ReadTargeting(fields, flag));
  WARDEN_RETURN_IF_ERROR(fields.String("bucketing", &flag.bucketing));
  WARDEN_RETURN_IF_ERROR(ReadMetadata(fields, spec));
  WARDEN_RETURN_IF_ERROR(fields.Finish());
  return spec;
}

json::object FlagSpecToJson(const FlagSpec& spec) {
  const eval::Flag& flag = spec.flag;
  json::object variants;
  for (const eval::FlagVariant& v : flag.variants) variants[v.name] = v.value;
  json::array rules;
  for (const eval::TargetingRule& rule : flag.rules) {
    rules.push_back(
        json::object{{"conditions", ConditionsToJson(rule.conditions)},
                     {"variant", rule.variant}});
  }
  json::array rollout;
  for (const eval::WeightedVariant& w : flag.rollout) {
    rollout.push_back(
        json::object{{"variant", w.variant}, {"weight", w.weight}});
  }
  return {{"key", flag.key},
          {"type", eval::FlagTypeName(flag.type)},
          {"state",
           flag.state == eval::FlagState::kEnabled ? "enabled" : "disabled"},
          {"variants", std::move(variants)},
          {"default_variant", OptionalText(flag.default_variant)},
          {"off_variant", OptionalText(flag.off_variant)},
          {"rules", std::move(rules)},
          {"rollout", std::move(rollout)},
          {"targeting", flag.json_logic ? *flag.json_logic : json::value()},
          {"bucketing", flag.bucketing},
          {"owner_team", flag.metadata.owner_team},
          {"release", flag.metadata.release},
          {"description", flag.metadata.description},
          {"metadata", flag.metadata.extra},
          {"stale_after_days", spec.stale_after_days}};
}

Result<std::vector<eval::Condition>> ConditionsFromJson(const json::value& v,
                                                        std::string_view path) {
  WARDEN_ASSIGN_OR_RETURN(const json::array* items,
                          AsArray(v, path, kMaxConditions));
  std::vector<eval::Condition> conditions;
  for (size_t i = 0; i < items->size(); ++i) {
    WARDEN_ASSIGN_OR_RETURN(eval::Condition condition,
                            ConditionFromJson((*items)[i], Index(path, i)));
    conditions.push_back(std::move(condition));
  }
  return conditions;
}

json::array ConditionsToJson(const std::vector<eval::Condition>& conditions) {
  json::array out;
  for (const eval::Condition& c : conditions) {
    json::object item{{"op", eval::ConditionOpName(c.op)},
                      {"value", c.operand}};
    if (!c.attribute.empty()) item["attribute"] = c.attribute;
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<std::string>> StringListFromJson(const json::value& v,
                                                    std::string_view path,
                                                    size_t max_items) {
  WARDEN_ASSIGN_OR_RETURN(const json::array* items,
                          AsArray(v, path, max_items));
  std::vector<std::string> out;
  out.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    if (!(*items)[i].is_string()) return WrongType(Index(path, i), "a string");
    out.emplace_back((*items)[i].get_string());
  }
  return out;
}

json::array StringListToJson(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& item : items) out.emplace_back(item);
  return out;
}

Result<json::object> ParseObject(std::string_view text, std::string_view what) {
  json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, {}, options);
  if (ec) {
    return InvalidArgument(
        fmt::format("{} is not valid JSON: {}", what, ec.message()),
        "malformed-json");
  }
  if (!value.is_object()) return WrongType(what, "a JSON object");
  return std::move(value.as_object());
}

json::object MergeTopLevel(json::object base, const json::object& patch) {
  for (const auto& member : patch) {
    if (member.value().is_null()) {
      base.erase(member.key());
    } else {
      base[member.key()] = member.value();
    }
  }
  return base;
}

}  // namespace warden::wire
