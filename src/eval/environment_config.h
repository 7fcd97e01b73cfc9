// Everything one environment's snapshot is built from.
#ifndef WARDEN_EVAL_ENVIRONMENT_CONFIG_H_
#define WARDEN_EVAL_ENVIRONMENT_CONFIG_H_

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "eval/exposure_limit.h"
#include "eval/flag.h"
#include "eval/release_gate.h"
#include "eval/tenant.h"

namespace warden::eval {

struct EnvironmentConfig {
  std::vector<Flag> flags;
  std::vector<Tenant> tenants;
  std::vector<Segment> segments;
  std::vector<ExposureLimit> limits;
  std::vector<ReleaseGate> gates;
  // flagd "$evaluators": name -> JsonLogic, referenced by {"$ref": name}.
  boost::json::object evaluators;
  // flagd flag-set metadata; merged under each flag's metadata in results.
  boost::json::object metadata;
  // Set only in a per-tenant view (exposure/tenant_view.h): the one tenant
  // the view was cut for. Clients evaluating such a view evaluate for that
  // tenant, with its stored attributes first (EvaluationContext).
  std::string bound_tenant;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_ENVIRONMENT_CONFIG_H_
