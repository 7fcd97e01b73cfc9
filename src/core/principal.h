// Who is calling: the authenticated subject of a Warden API token, or a
// workload presenting its own OAuth access token (RFC 9068, issued by
// Warden) on the few /v1 routes that accept one.
#ifndef WARDEN_CORE_PRINCIPAL_H_
#define WARDEN_CORE_PRINCIPAL_H_

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/vocabulary.h"

namespace warden {

// What a workload's access token proves: which identity it is (the token's
// "sub", which equals its "client_id" for Warden-issued tokens) and which
// scopes the token carries. Grants nothing by role: services decide with
// authz/workload_authorizer.h on the identity and the scope.
struct WorkloadCredential {
  std::string identity_id;          // sub
  std::vector<std::string> scopes;  // the token's scopes, sorted
  std::string jwt_id;               // jti, for the audit record

  bool HasScope(std::string_view scope) const {
    return std::binary_search(scopes.begin(), scopes.end(), scope);
  }
};

struct Principal {
  std::string subject;   // user name, or "token:<id>" for unattached tokens
  std::string token_id;  // the API token used
  // The Warden user the token belongs to; empty for user-less tokens, which
  // may act by role but never take a four-eyes decision (four_eyes.h).
  std::string user;
  Role role = Role::kAuditor;
  std::string team;  // app_owner: the team whose identities it manages
  std::optional<Environment> environment;  // sdk: the one bound environment
  std::string tenant;  // sdk: bound tenant (server ignores claimed tenants)
  // Set only for workload access tokens; then subject is "client:<id>", role
  // is kSdk (no grant under /v1) and Authorize() denies every permission.
  std::optional<WorkloadCredential> workload;
};

// The subject recorded for requests that did not authenticate.
inline constexpr char kAnonymousSubject[] = "anonymous";

}  // namespace warden

#endif  // WARDEN_CORE_PRINCIPAL_H_
