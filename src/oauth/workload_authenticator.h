// WorkloadAuthenticator: Warden as the resource server of its own OAuth
// access tokens (RFC 9068 section 4, RFC 6750) on the /v1 routes that
// accept a workload (a secret read by its owning identity, SVID
// renewal by token).
//
// Authenticate() reuses TokenRevocation::VerifyAccessToken (the one JWT
// verifier and the live revocation state: signature, alg, typ, issuer,
// expiry, jti deny-list, identity epoch, identity still active), then
// checks the audience for /v1: every "aud" of the token must be Warden's
// own (the issuer). A token requested for another resource server
// ("audience"/"resource" at /oauth/token) carries that audience too and is
// refused here, so a token leaked by another API cannot be replayed at
// Warden. A certificate-bound token (cnf.x5t#S256, RFC 8705 section 3) is
// accepted only on a connection whose client certificate has that
// thumbprint: a stolen bound token is useless without the key. Every refusal is
// audited as an authentication failure (reason only: token text never enters
// the audit log) and returns kUnauthenticated; kUnavailable when the store
// cannot answer.
//
// The principal returned has subject "client:<identity id>" (the actor
// convention of the OAuth endpoints), role kSdk (no grant under /v1;
// Authorize() refuses every permission to a workload) and `workload` set.
//
// Refuse() records the 403 of a workload token on a route that does not
// accept one (deny by default).
//
// Thread-safety: both methods may be called concurrently; the revocation
// service and auditor are borrowed and must outlive this object.
#ifndef WARDEN_OAUTH_WORKLOAD_AUTHENTICATOR_H_
#define WARDEN_OAUTH_WORKLOAD_AUTHENTICATOR_H_

#include <string_view>

#include "core/principal.h"
#include "oauth/token_revocation.h"
#include "service/auditor.h"

namespace warden::oauth {

class WorkloadAuthenticator {
 public:
  WorkloadAuthenticator(TokenRevocation& tokens, Auditor& auditor)
      : tokens_(tokens), auditor_(auditor) {}

  // True when `presented` has the shape of a compact JWS (three base64url
  // segments) rather than a Warden API token ("wdn_..."). Shape only: says
  // which authenticator to ask, never whether the token is valid.
  static bool LooksLikeAccessToken(std::string_view presented);

  // `certificate_thumbprint`: x5t#S256 of the connection's client
  // certificate, "" without mutual TLS.
  Result<Principal> Authenticate(std::string_view token,
                                 std::string_view remote,
                                 std::string_view request_id,
                                 std::string_view certificate_thumbprint = {});

  // Records outcome "deny" for `caller` on `route` and returns
  // kPermissionDenied naming the route.
  Status Refuse(const Caller& caller, std::string_view method,
                std::string_view route);

 private:
  TokenRevocation& tokens_;
  Auditor& auditor_;
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_WORKLOAD_AUTHENTICATOR_H_
