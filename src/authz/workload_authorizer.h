// What a workload may do with its own OAuth access token on /v1.
// Pure logic; deny by default.
//
// A workload token is not a Warden API token: it carries no role, and
// Authorize() (authorizer.h) denies it every permission. The only grants
// are "the identity acts on its own credentials, with a token whose scope
// names the action":
//   secrets:read        read the value of a secret the identity owns
//   certificates:renew  obtain a fresh X509-SVID for the identity itself
// Both scopes are granted to an identity like any other (its `scopes`), so
// least privilege holds: a token minted for calling some API cannot read
// secrets or mint certificates unless the identity was granted that.
#ifndef WARDEN_AUTHZ_WORKLOAD_AUTHORIZER_H_
#define WARDEN_AUTHZ_WORKLOAD_AUTHORIZER_H_

#include <string_view>

#include "authz/authorizer.h"
#include "core/principal.h"

namespace warden {

inline constexpr std::string_view kSecretsReadScope = "secrets:read";
inline constexpr std::string_view kCertificatesRenewScope =
    "certificates:renew";
// Ask the access decision point (AuthZEN) for decisions: the workload acts
// as a policy enforcement point; no resource of its own is involved.
inline constexpr std::string_view kAccessEvaluateScope = "access:evaluate";

// Allowed only when `principal` is a workload, `resource_identity_id` is
// non-empty and equals the workload's identity, and the token carries
// `scope`. The reason names what was missing (never token text).
AuthzDecision AuthorizeWorkload(const Principal& principal,
                                std::string_view scope,
                                std::string_view resource_identity_id);

// Allowed only when `principal` is a workload whose token carries `scope`.
AuthzDecision AuthorizeWorkloadScope(const Principal& principal,
                                     std::string_view scope);

}  // namespace warden

#endif  // WARDEN_AUTHZ_WORKLOAD_AUTHORIZER_H_
