// What GET /readyz reports: named checks, each passing or not with a short
// detail. The process wiring decides which checks exist (server/readiness.h:
// the store, the signing keys, the published configuration); the route
// (api/ops_routes.cc) answers 200 with every check when all pass, else 503
// problem+json "not-ready" naming the failing ones.
#ifndef WARDEN_HTTP_READINESS_H_
#define WARDEN_HTTP_READINESS_H_

#include <functional>
#include <string>
#include <vector>

namespace warden {

struct HealthCheck {
  std::string name;  // "store", "signing_keys", "snapshot", "changes"
  bool ok = false;
  std::string detail;  // why, for an operator; never a secret
};

// Runs every check, in a fixed order. Called on a worker thread (a check may
// ask the store); must be thread-safe and bounded in time.
using ReadinessProbe = std::function<std::vector<HealthCheck>()>;

}  // namespace warden

#endif  // WARDEN_HTTP_READINESS_H_
