#include "wire/release_gate_json.h"

#include <string>
#include <utility>
#include <vector>

#include "wire/exposure_json.h"

namespace warden::wire {
namespace {

namespace json = boost::json;

Status Invalid(std::string_view path, std::string_view member,
               std::string_view what) {
  return InvalidArgument(std::string(path) + "." + std::string(member) + " " +
                         std::string(what));
}

Result<std::string> StringAt(const json::object& object, std::string_view path,
                             std::string_view member) {
  const json::value* value = object.if_contains(member);
  if (value == nullptr || !value->is_string()) {
    return Invalid(path, member, "must be a string");
  }
  return std::string(value->get_string());
}

// A missing list is empty: older gates may lack newer members.
Result<std::vector<std::string>> ListAt(const json::object& object,
                                        std::string_view path,
                                        std::string_view member) {
  const json::value* value = object.if_contains(member);
  if (value == nullptr) return std::vector<std::string>{};
  return StringListFromJson(
      *value, std::string(path) + "." + std::string(member), kMaxGateListItems);
}

Result<const json::object*> ObjectAt(const json::object& object,
                                     std::string_view path,
                                     std::string_view member) {
  static const json::object kEmpty;
  const json::value* value = object.if_contains(member);
  if (value == nullptr) return &kEmpty;
  if (!value->is_object() || value->get_object().size() > kMaxGateListItems) {
    return Invalid(path, member, "must be an object");
  }
  return &value->get_object();
}

Status ReadAudience(const json::object& object, std::string_view path,
                    eval::ReleaseGate& gate) {
  if (const json::value* everyone = object.if_contains("everyone")) {
    if (!everyone->is_bool())
      return Invalid(path, "everyone", "must be a bool");
    gate.everyone = everyone->get_bool();
  }
  if (const json::value* percentage = object.if_contains("percentage")) {
    if (!percentage->is_number()) {
      return Invalid(path, "percentage", "must be a number");
    }
    gate.percentage = percentage->to_number<double>();
    if (!(gate.percentage >= 0 && gate.percentage <= 100)) {
      return Invalid(path, "percentage", "must be within 0..100");
    }
  }
  WARDEN_ASSIGN_OR_RETURN(gate.tenants, ListAt(object, path, "tenants"));
  WARDEN_ASSIGN_OR_RETURN(gate.segments, ListAt(object, path, "segments"));
  return Status::Ok();
}

Status ReadClearance(const json::object& object, std::string_view path,
                     eval::ReleaseGate& gate) {
  WARDEN_ASSIGN_OR_RETURN(gate.cleared_flags,
                          ListAt(object, path, "cleared_flags"));
  WARDEN_ASSIGN_OR_RETURN(gate.cleared_tenants,
                          ListAt(object, path, "cleared_tenants"));
  WARDEN_ASSIGN_OR_RETURN(const json::object* pending,
                          ObjectAt(object, path, "pending_approvals"));
  for (const auto& [tenant, id] : *pending) {
    if (!id.is_string()) {
      return Invalid(path, "pending_approvals", "values must be strings");
    }
    gate.pending_approvals.emplace_back(std::string(tenant),
                                        std::string(id.get_string()));
  }
  WARDEN_ASSIGN_OR_RETURN(const json::object* opt_ins,
                          ObjectAt(object, path, "opt_ins"));
  const std::string opt_in_path = std::string(path) + ".opt_ins";
  for (const auto& [flag, tenants] : *opt_ins) {
    WARDEN_ASSIGN_OR_RETURN(
        std::vector<std::string> list,
        StringListFromJson(tenants, opt_in_path, kMaxGateListItems));
    gate.opt_ins.emplace_back(std::string(flag), std::move(list));
  }
  return Status::Ok();
}

}  // namespace

json::object GateToJson(const eval::ReleaseGate& gate) {
  json::object pending;
  for (const auto& [tenant, id] : gate.pending_approvals) pending[tenant] = id;
  json::object opt_ins;
  for (const auto& [flag, tenants] : gate.opt_ins) {
    opt_ins[flag] = StringListToJson(tenants);
  }
  return {{"release", gate.release_id},
          {"stage", gate.stage},
          {"flags", StringListToJson(gate.flag_keys)},
          {"everyone", gate.everyone},
          {"tenants", StringListToJson(gate.tenants)},
          {"segments", StringListToJson(gate.segments)},
          {"percentage", gate.percentage},
          {"cleared_flags", StringListToJson(gate.cleared_flags)},
          {"cleared_tenants", StringListToJson(gate.cleared_tenants)},
          {"pending_approvals", std::move(pending)},
          {"opt_ins", std::move(opt_ins)}};
}

Result<eval::ReleaseGate> GateFromJson(const json::value& value,
                                       std::string_view path) {
  if (!value.is_object()) {
    return InvalidArgument(std::string(path) + " must be an object");
  }
  const json::object& object = value.get_object();
  eval::ReleaseGate gate;
  WARDEN_ASSIGN_OR_RETURN(gate.release_id, StringAt(object, path, "release"));
  WARDEN_ASSIGN_OR_RETURN(gate.stage, StringAt(object, path, "stage"));
  WARDEN_ASSIGN_OR_RETURN(gate.flag_keys, ListAt(object, path, "flags"));
  WARDEN_RETURN_IF_ERROR(ReadAudience(object, path, gate));
  WARDEN_RETURN_IF_ERROR(ReadClearance(object, path, gate));
  return gate;
}

}  // namespace warden::wire
