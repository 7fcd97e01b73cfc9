#include "releases/exposure_plan.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <cmath>

#include "service/field_checks.h"

namespace warden::releases {
namespace {

namespace json = boost::json;

constexpr size_t kMaxNameLength = 64;

std::string At(std::string_view field, std::string_view member) {
  return fmt::format("{}.{}", field, member);
}

Result<std::vector<std::string>> ReadNames(const json::object& object,
                                           std::string_view field,
                                           std::string_view member) {
  std::vector<std::string> names;
  const json::value* value = object.if_contains(member);
  if (value == nullptr) return names;
  const std::string path = At(field, member);
  if (!value->is_array() || value->get_array().size() > kMaxAudienceItems) {
    return FieldError(path, fmt::format("must be an array of at most {} names",
                                        kMaxAudienceItems));
  }
  for (const json::value& item : value->get_array()) {
    if (!item.is_string()) return FieldError(path, "must hold strings");
    WARDEN_RETURN_IF_ERROR(CheckName(path, item.get_string(), 256));
    names.emplace_back(item.get_string());
  }
  return names;
}

Result<std::optional<double>> ReadNumber(const json::object& object,
                                         std::string_view field,
                                         std::string_view member) {
  const json::value* value = object.if_contains(member);
  if (value == nullptr || value->is_null()) return std::optional<double>();
  if (!value->is_number()) {
    return FieldError(At(field, member), "must be a number");
  }
  const double number = value->to_number<double>();
  if (!std::isfinite(number)) {
    return FieldError(At(field, member), "must be finite");
  }
  return std::optional<double>(number);
}

Result<std::optional<int64_t>> ReadMinutes(const json::object& object,
                                           std::string_view field,
                                           std::string_view member) {
  const json::value* value = object.if_contains(member);
  if (value == nullptr || value->is_null()) return std::optional<int64_t>();
  if (!value->is_int64() || value->get_int64() < 0 ||
      value->get_int64() > kMaxStageMinutes) {
    return FieldError(
        At(field, member),
        fmt::format("must be an integer within 0..{}", kMaxStageMinutes));
  }
  return std::optional<int64_t>(value->get_int64());
}

Result<bool> ReadBool(const json::object& object, std::string_view field,
                      std::string_view member, bool fallback) {
  const json::value* value = object.if_contains(member);
  if (value == nullptr || value->is_null()) return fallback;
  if (!value->is_bool()) return FieldError(At(field, member), "must be a bool");
  return value->get_bool();
}

Result<StageAudience> ParseAudience(const json::object& stage,
                                    std::string_view field) {
  StageAudience audience;
  const json::value* value = stage.if_contains("audience");
  if (value == nullptr) return audience;
  const std::string path = At(field, "audience");
  if (!value->is_object()) return FieldError(path, "must be an object");
  const json::object& object = value->get_object();
  WARDEN_ASSIGN_OR_RETURN(audience.everyone,
                          ReadBool(object, path, "everyone", false));
  WARDEN_ASSIGN_OR_RETURN(audience.tenants, ReadNames(object, path, "tenants"));
  WARDEN_ASSIGN_OR_RETURN(audience.segments,
                          ReadNames(object, path, "segments"));
  WARDEN_ASSIGN_OR_RETURN(std::optional<double> percentage,
                          ReadNumber(object, path, "percentage"));
  if (percentage && (*percentage < 0 || *percentage > 100)) {
    return FieldError(At(path, "percentage"), "must be within 0..100");
  }
  audience.percentage = percentage.value_or(0);
  return audience;
}

Result<Guardrail> ParseGuardrail(const json::value& value,
                                 std::string_view field) {
  if (!value.is_object()) return FieldError(field, "must be an object");
  const json::object& object = value.get_object();
  Guardrail guardrail;
  const json::value* signal = object.if_contains("signal");
  if (signal == nullptr || !signal->is_string()) {
    return FieldError(At(field, "signal"), "is required");
  }
  WARDEN_RETURN_IF_ERROR(
      CheckName(At(field, "signal"), signal->get_string(), kMaxNameLength));
  guardrail.signal = signal->get_string();
  WARDEN_ASSIGN_OR_RETURN(guardrail.max, ReadNumber(object, field, "max"));
  WARDEN_ASSIGN_OR_RETURN(guardrail.min, ReadNumber(object, field, "min"));
  if (!guardrail.max && !guardrail.min) {
    return FieldError(field, "needs a max or a min");
  }
  return guardrail;
}

Result<Stage> ParseStage(const json::value& value, std::string_view field) {
  if (!value.is_object()) return FieldError(field, "must be an object");
  const json::object& object = value.get_object();
  Stage stage;
  const json::value* name = object.if_contains("name");
  if (name == nullptr || !name->is_string()) {
    return FieldError(At(field, "name"), "is required");
  }
  WARDEN_RETURN_IF_ERROR(
      CheckName(At(field, "name"), name->get_string(), kMaxNameLength));
  stage.name = name->get_string();
  WARDEN_ASSIGN_OR_RETURN(stage.audience, ParseAudience(object, field));
  WARDEN_ASSIGN_OR_RETURN(
      stage.requires_readiness,
      ReadBool(object, field, "requires_readiness", stage.audience.broad()));
  WARDEN_ASSIGN_OR_RETURN(std::optional<int64_t> soak,
                          ReadMinutes(object, field, "min_soak_minutes"));
  stage.min_soak_minutes = soak.value_or(0);
  WARDEN_ASSIGN_OR_RETURN(stage.advance_after_minutes,
                          ReadMinutes(object, field, "advance_after_minutes"));
  WARDEN_ASSIGN_OR_RETURN(stage.auto_rollback,
                          ReadBool(object, field, "auto_rollback", false));
  if (const json::value* guardrails = object.if_contains("guardrails")) {
    const std::string path = At(field, "guardrails");
    if (!guardrails->is_array() ||
        guardrails->get_array().size() > kMaxGuardrails) {
      return FieldError(
          path, fmt::format("must be an array of at most {}", kMaxGuardrails));
    }
    for (size_t i = 0; i < guardrails->get_array().size(); ++i) {
      WARDEN_ASSIGN_OR_RETURN(Guardrail guardrail,
                              ParseGuardrail(guardrails->get_array()[i],
                                             fmt::format("{}[{}]", path, i)));
      stage.guardrails.push_back(std::move(guardrail));
    }
  }
  return stage;
}

json::object AudienceToJson(const StageAudience& audience) {
  json::array tenants(audience.tenants.begin(), audience.tenants.end());
  json::array segments(audience.segments.begin(), audience.segments.end());
  return {{"everyone", audience.everyone},
          {"tenants", std::move(tenants)},
          {"segments", std::move(segments)},
          {"percentage", audience.percentage}};
}

json::object GuardrailToJson(const Guardrail& guardrail) {
  json::object out{{"signal", guardrail.signal}};
  if (guardrail.max) out["max"] = *guardrail.max;
  if (guardrail.min) out["min"] = *guardrail.min;
  return out;
}

Stage NamedStage(std::string name, StageAudience audience) {
  Stage stage;
  stage.name = std::move(name);
  stage.requires_readiness = audience.broad();
  stage.audience = std::move(audience);
  return stage;
}

}  // namespace

std::string Guardrail::Crossing(double value) const {
  if (max && value > *max) {
    return fmt::format("{} {} > max {}", signal, value, *max);
  }
  if (min && value < *min) {
    return fmt::format("{} {} < min {}", signal, value, *min);
  }
  return {};
}

ExposurePlan DefaultPlan() {
  StageAudience internal, canary, ten, half, everyone;
  internal.segments = {"internal"};
  canary.segments = {"canary"};
  ten.percentage = 10;
  half.percentage = 50;
  everyone.everyone = true;
  ExposurePlan plan;
  plan.stages.push_back(NamedStage("internal", internal));
  plan.stages.push_back(NamedStage("canary", canary));
  plan.stages.push_back(NamedStage("10-percent", ten));
  plan.stages.push_back(NamedStage("50-percent", half));
  plan.stages.push_back(NamedStage("everyone", everyone));
  return plan;
}

Result<ExposurePlan> ParsePlan(const json::value& value,
                               std::string_view field) {
  if (!value.is_array() || value.get_array().empty() ||
      value.get_array().size() > kMaxStages) {
    return FieldError(
        field, fmt::format("must be an array of 1..{} stages", kMaxStages));
  }
  ExposurePlan plan;
  for (size_t i = 0; i < value.get_array().size(); ++i) {
    WARDEN_ASSIGN_OR_RETURN(
        Stage stage,
        ParseStage(value.get_array()[i], fmt::format("{}[{}]", field, i)));
    for (const Stage& earlier : plan.stages) {
      if (earlier.name == stage.name) {
        return FieldError(fmt::format("{}[{}].name", field, i),
                          "repeats an earlier stage's name");
      }
    }
    plan.stages.push_back(std::move(stage));
  }
  return plan;
}

json::array PlanToJson(const ExposurePlan& plan) {
  json::array out;
  for (const Stage& stage : plan.stages) {
    json::array guardrails;
    for (const Guardrail& g : stage.guardrails) {
      guardrails.push_back(GuardrailToJson(g));
    }
    json::object object{{"name", stage.name},
                        {"audience", AudienceToJson(stage.audience)},
                        {"requires_readiness", stage.requires_readiness},
                        {"min_soak_minutes", stage.min_soak_minutes},
                        {"guardrails", std::move(guardrails)},
                        {"auto_rollback", stage.auto_rollback}};
    if (stage.advance_after_minutes) {
      object["advance_after_minutes"] = *stage.advance_after_minutes;
    }
    out.push_back(std::move(object));
  }
  return out;
}

Result<ExposurePlan> PlanFromText(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return Internal(fmt::format("stored plan is not JSON: {}", text));
  return ParsePlan(value);
}

std::string StageName(const ExposurePlan& plan, int64_t index) {
  if (index <= 0) return "deployed";
  if (static_cast<size_t>(index) > plan.stages.size()) return "complete";
  return plan.stages[static_cast<size_t>(index) - 1].name;
}

}  // namespace warden::releases
