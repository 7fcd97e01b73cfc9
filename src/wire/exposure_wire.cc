#include "wire/exposure_wire.h"

#include <boost/json/serialize.hpp>

#include "wire/exposure_json.h"
#include "wire/release_gate_json.h"

namespace warden::wire {
namespace {

namespace json = boost::json;

json::object TenantToWire(const eval::Tenant& tenant) {
  return {{"key", tenant.key},
          {"account_manager", tenant.account_manager},
          {"attributes", tenant.attributes},
          {"integrations", StringListToJson(tenant.integrations)}};
}

json::object LimitToWire(const eval::ExposureLimit& limit) {
  return {{"id", limit.id},
          {"scope", eval::LimitScopeName(limit.scope)},
          {"values", StringListToJson(limit.scope_values)},
          {"flags", StringListToJson(limit.flag_keys)},
          {"reason", limit.reason}};
}

}  // namespace

json::object FlagsToWire(const eval::EnvironmentConfig& config) {
  json::object flags;
  for (const eval::Flag& flag : config.flags) {
    flags[flag.key] = FlagSpecToJson(FlagSpec{flag, kDefaultStaleAfterDays});
    flags[flag.key].as_object().erase("stale_after_days");
  }
  return flags;
}

json::array TenantsToWire(const eval::EnvironmentConfig& config) {
  json::array tenants;
  tenants.reserve(config.tenants.size());
  for (const eval::Tenant& tenant : config.tenants) {
    tenants.push_back(TenantToWire(tenant));
  }
  return tenants;
}

json::array SegmentsToWire(const eval::EnvironmentConfig& config) {
  json::array segments;
  for (const eval::Segment& segment : config.segments) {
    segments.push_back(
        json::object{{"key", segment.key},
                     {"tenants", StringListToJson(segment.tenant_keys)},
                     {"rules", ConditionsToJson(segment.rules)}});
  }
  return segments;
}

json::array LimitsToWire(const eval::EnvironmentConfig& config) {
  json::array limits;
  for (const eval::ExposureLimit& limit : config.limits) {
    limits.push_back(LimitToWire(limit));
  }
  return limits;
}

json::array GatesToWire(const eval::EnvironmentConfig& config) {
  json::array gates;
  for (const eval::ReleaseGate& gate : config.gates) {
    gates.push_back(GateToJson(gate));
  }
  return gates;
}

std::string WireJson(const eval::EnvironmentConfig& config, Environment env,
                     int64_t revision) {
  json::object wire{{"environment", Name(env)}, {"revision", revision}};
  if (!config.bound_tenant.empty()) wire["tenant"] = config.bound_tenant;
  wire["flags"] = FlagsToWire(config);
  wire["$evaluators"] = config.evaluators;
  wire["metadata"] = config.metadata;
  wire["tenants"] = TenantsToWire(config);
  wire["segments"] = SegmentsToWire(config);
  wire["limits"] = LimitsToWire(config);
  wire["gates"] = GatesToWire(config);
  return json::serialize(wire);
}

}  // namespace warden::wire
