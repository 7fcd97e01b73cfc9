#include "sdk/wire_config.h"

#include <string>

#include "wire/exposure_json.h"
#include "wire/release_gate_json.h"

namespace warden::sdk {
namespace {

namespace json = boost::json;

// Far above what a server ships; bounds a hostile stream's allocations.
constexpr size_t kMaxWireListItems = 10'000'000;

Result<const json::value*> Member(const json::object& object,
                                  std::string_view name,
                                  std::string_view path) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) {
    return InvalidArgument(std::string(path) + "." + std::string(name) +
                           " is missing");
  }
  return value;
}

Result<std::string> StringMember(const json::object& object,
                                 std::string_view name, std::string_view path) {
  WARDEN_ASSIGN_OR_RETURN(const json::value* value, Member(object, name, path));
  if (!value->is_string()) {
    return InvalidArgument(std::string(path) + "." + std::string(name) +
                           " must be a string");
  }
  return std::string(value->as_string());
}

// An optional string member of the configuration; "" when absent.
Result<std::string> OptionalStringMember(const json::object& wire,
                                         std::string_view name) {
  const json::value* value = wire.if_contains(name);
  if (value == nullptr) return std::string();
  if (!value->is_string()) {
    return InvalidArgument("config." + std::string(name) + " must be a string");
  }
  return std::string(value->as_string());
}

Result<const json::object*> ObjectAt(const json::value& value,
                                     const std::string& path) {
  if (!value.is_object()) return InvalidArgument(path + " must be an object");
  return &value.as_object();
}

Result<const json::array*> ArrayMember(const json::object& object,
                                       std::string_view name) {
  WARDEN_ASSIGN_OR_RETURN(const json::value* value,
                          Member(object, name, "config"));
  if (!value->is_array()) {
    return InvalidArgument("config." + std::string(name) + " must be an array");
  }
  return &value->as_array();
}

Status ParseFlags(const json::object& wire, eval::EnvironmentConfig& out) {
  WARDEN_ASSIGN_OR_RETURN(const json::value* flags,
                          Member(wire, "flags", "config"));
  WARDEN_ASSIGN_OR_RETURN(const json::object* object,
                          ObjectAt(*flags, "config.flags"));
  for (const auto& [key, value] : *object) {
    const std::string path = "config.flags." + std::string(key);
    WARDEN_ASSIGN_OR_RETURN(const json::object* flag, ObjectAt(value, path));
    Result<wire::FlagSpec> spec = wire::FlagSpecFromJson(*flag);
    if (!spec.ok()) return spec.status().WithContext(path);
    out.flags.push_back(std::move(spec->flag));
  }
  return Status::Ok();
}

Status ParseTenant(const json::value& value, const std::string& path,
                   eval::EnvironmentConfig& out) {
  WARDEN_ASSIGN_OR_RETURN(const json::object* object, ObjectAt(value, path));
  eval::Tenant tenant;
  WARDEN_ASSIGN_OR_RETURN(tenant.key, StringMember(*object, "key", path));
  WARDEN_ASSIGN_OR_RETURN(tenant.account_manager,
                          StringMember(*object, "account_manager", path));
  WARDEN_ASSIGN_OR_RETURN(const json::value* attributes,
                          Member(*object, "attributes", path));
  WARDEN_ASSIGN_OR_RETURN(const json::object* attrs,
                          ObjectAt(*attributes, path + ".attributes"));
  tenant.attributes = *attrs;
  WARDEN_ASSIGN_OR_RETURN(const json::value* integrations,
                          Member(*object, "integrations", path));
  WARDEN_ASSIGN_OR_RETURN(
      tenant.integrations,
      wire::StringListFromJson(*integrations, path + ".integrations",
                               kMaxWireListItems));
  out.tenants.push_back(std::move(tenant));
  return Status::Ok();
}

Status ParseSegment(const json::value& value, const std::string& path,
                    eval::EnvironmentConfig& out) {
  WARDEN_ASSIGN_OR_RETURN(const json::object* object, ObjectAt(value, path));
  eval::Segment segment;
  WARDEN_ASSIGN_OR_RETURN(segment.key, StringMember(*object, "key", path));
  WARDEN_ASSIGN_OR_RETURN(const json::value* tenants,
                          Member(*object, "tenants", path));
  WARDEN_ASSIGN_OR_RETURN(
      segment.tenant_keys,
      wire::StringListFromJson(*tenants, path + ".tenants", kMaxWireListItems));
  WARDEN_ASSIGN_OR_RETURN(const json::value* rules,
                          Member(*object, "rules", path));
  WARDEN_ASSIGN_OR_RETURN(segment.rules,
                          wire::ConditionsFromJson(*rules, path + ".rules"));
  out.segments.push_back(std::move(segment));
  return Status::Ok();
}

Status ParseLimit(const json::value& value, const std::string& path,
                  eval::EnvironmentConfig& out) {
  WARDEN_ASSIGN_OR_RETURN(const json::object* object, ObjectAt(value, path));
  eval::ExposureLimit limit;
  WARDEN_ASSIGN_OR_RETURN(limit.id, StringMember(*object, "id", path));
  WARDEN_ASSIGN_OR_RETURN(std::string scope,
                          StringMember(*object, "scope", path));
  WARDEN_ASSIGN_OR_RETURN(limit.scope, eval::ParseLimitScope(scope));
  WARDEN_ASSIGN_OR_RETURN(const json::value* values,
                          Member(*object, "values", path));
  WARDEN_ASSIGN_OR_RETURN(
      limit.scope_values,
      wire::StringListFromJson(*values, path + ".values", kMaxWireListItems));
  WARDEN_ASSIGN_OR_RETURN(const json::value* flags,
                          Member(*object, "flags", path));
  WARDEN_ASSIGN_OR_RETURN(
      limit.flag_keys,
      wire::StringListFromJson(*flags, path + ".flags", kMaxWireListItems));
  WARDEN_ASSIGN_OR_RETURN(limit.reason, StringMember(*object, "reason", path));
  out.limits.push_back(std::move(limit));
  return Status::Ok();
}

Status ParseGate(const json::value& value, const std::string& path,
                 eval::EnvironmentConfig& out) {
  WARDEN_ASSIGN_OR_RETURN(eval::ReleaseGate gate,
                          wire::GateFromJson(value, path));
  out.gates.push_back(std::move(gate));
  return Status::Ok();
}

template <typename ParseOne>
Status ParseList(const json::object& wire, std::string_view name,
                 eval::EnvironmentConfig& out, ParseOne parse_one) {
  WARDEN_ASSIGN_OR_RETURN(const json::array* items, ArrayMember(wire, name));
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string path =
        "config." + std::string(name) + "[" + std::to_string(i) + "]";
    WARDEN_RETURN_IF_ERROR(parse_one((*items)[i], path, out));
  }
  return Status::Ok();
}

Status ParseObjectMember(const json::object& wire, std::string_view name,
                         json::object& out) {
  const json::value* value = wire.if_contains(name);
  if (value == nullptr || value->is_null()) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(const json::object* object,
                          ObjectAt(*value, "config." + std::string(name)));
  out = *object;
  return Status::Ok();
}

}  // namespace

Result<WireConfig> ParseWireConfig(const json::object& wire) {
  WireConfig out;
  WARDEN_ASSIGN_OR_RETURN(const json::value* revision,
                          Member(wire, "revision", "config"));
  if (!revision->is_int64()) {
    return InvalidArgument("config.revision must be an integer");
  }
  out.revision = revision->as_int64();
  WARDEN_ASSIGN_OR_RETURN(out.environment,
                          OptionalStringMember(wire, "environment"));
  WARDEN_ASSIGN_OR_RETURN(out.tenant, OptionalStringMember(wire, "tenant"));
  out.config.bound_tenant = out.tenant;
  WARDEN_RETURN_IF_ERROR(ParseFlags(wire, out.config));
  WARDEN_RETURN_IF_ERROR(
      ParseObjectMember(wire, "$evaluators", out.config.evaluators));
  WARDEN_RETURN_IF_ERROR(
      ParseObjectMember(wire, "metadata", out.config.metadata));
  WARDEN_RETURN_IF_ERROR(ParseList(wire, "tenants", out.config, ParseTenant));
  WARDEN_RETURN_IF_ERROR(ParseList(wire, "segments", out.config, ParseSegment));
  WARDEN_RETURN_IF_ERROR(ParseList(wire, "limits", out.config, ParseLimit));
  // Optional: a server before release gates sends none.
  if (wire.contains("gates")) {
    WARDEN_RETURN_IF_ERROR(ParseList(wire, "gates", out.config, ParseGate));
  }
  return out;
}

}  // namespace warden::sdk
