// Decodes the configuration the server streams (PublishedConfig::wire_json,
// written by ExposurePublisher) back into an eval::EnvironmentConfig, so the
// SDK compiles the same Snapshot the server evaluates:
//   {"environment", "revision", "tenant"? (a per-tenant view: the bound
//    tenant), "flags": {key: flag json}, "$evaluators",
//    "metadata", "tenants": [{key, account_manager, attributes,
//    integrations}], "segments": [{key, tenants, rules}],
//    "limits": [{id, scope, values, flags, reason}]}
// Malformed input is kInvalidArgument naming the element; never throws.
// Pure function; thread-safe.
#ifndef WARDEN_SDK_WIRE_CONFIG_H_
#define WARDEN_SDK_WIRE_CONFIG_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "eval/environment_config.h"

namespace warden::sdk {

struct WireConfig {
  int64_t revision = 0;
  std::string environment;  // "environment"; "" when absent
  std::string tenant;       // "tenant": the bound tenant of the view, or ""
  eval::EnvironmentConfig config;
};

Result<WireConfig> ParseWireConfig(const boost::json::object& wire);

}  // namespace warden::sdk

#endif  // WARDEN_SDK_WIRE_CONFIG_H_
