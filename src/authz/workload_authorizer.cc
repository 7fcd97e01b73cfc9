#include "authz/workload_authorizer.h"

#include <fmt/format.h>

namespace warden {

AuthzDecision AuthorizeWorkload(const Principal& principal,
                                std::string_view scope,
                                std::string_view resource_identity_id) {
  if (!principal.workload) {
    return {false, "not a workload access token"};
  }
  const WorkloadCredential& workload = *principal.workload;
  if (workload.identity_id.empty() || resource_identity_id.empty() ||
      workload.identity_id != resource_identity_id) {
    return {false, fmt::format("identity {} may act only on its own "
                               "credentials",
                               workload.identity_id)};
  }
  if (!workload.HasScope(scope)) {
    return {false, fmt::format("the access token lacks scope {} (identity {})",
                               scope, workload.identity_id)};
  }
  return {true, fmt::format("identity {} with scope {} on its own credential",
                            workload.identity_id, scope)};
}

AuthzDecision AuthorizeWorkloadScope(const Principal& principal,
                                     std::string_view scope) {
  if (!principal.workload) return {false, "not a workload access token"};
  const WorkloadCredential& workload = *principal.workload;
  if (!workload.HasScope(scope)) {
    return {false, fmt::format("the access token lacks scope {} (identity {})",
                               scope, workload.identity_id)};
  }
  return {true, fmt::format("identity {} with scope {}", workload.identity_id,
                            scope)};
}

}  // namespace warden
