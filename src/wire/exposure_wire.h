// The wire form of an environment's configuration: what GET /v1/stream
// ships and the SDK decodes (sdk/wire_config.h):
//   {"environment", "revision", ["tenant",] "flags": {key: flag json},
//    "$evaluators", "metadata", "tenants": [{key, account_manager,
//    attributes, integrations}], "segments": [{key, tenants, rules}],
//    "limits": [{id, scope, values, flags, reason}],
//    "gates": [release gate (release_gate_json.h)]}
// "tenant" is present only in a per-tenant view (tenant_view.h). The
// publisher serialises section by section (it keeps each section's text);
// WireJson writes a whole configuration at once.
// Pure functions; thread-safe.
#ifndef WARDEN_WIRE_EXPOSURE_WIRE_H_
#define WARDEN_WIRE_EXPOSURE_WIRE_H_

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "core/vocabulary.h"
#include "eval/environment_config.h"

namespace warden::wire {

boost::json::object FlagsToWire(const eval::EnvironmentConfig& config);
boost::json::array TenantsToWire(const eval::EnvironmentConfig& config);
boost::json::array SegmentsToWire(const eval::EnvironmentConfig& config);
boost::json::array LimitsToWire(const eval::EnvironmentConfig& config);
boost::json::array GatesToWire(const eval::EnvironmentConfig& config);

// The whole wire JSON of `config` at `revision` (with "tenant" when
// config.bound_tenant is set).
std::string WireJson(const eval::EnvironmentConfig& config, Environment env,
                     int64_t revision);

}  // namespace warden::wire

#endif  // WARDEN_WIRE_EXPOSURE_WIRE_H_
