// BearerAuthenticator: how the request pipeline turns the credential of a
// request, a bearer token (RFC 6750) or a console session cookie, into a
// principal. The transport tells the two
// credentials apart only through this interface; the API layer implements
// it over the inventory's API tokens and OAuth's workload access tokens
// (api/bearer_authentication.h), so http/ depends on no domain.
//
// Thread safety: every method may be called concurrently from I/O and
// worker threads.
#ifndef WARDEN_HTTP_BEARER_AUTHENTICATOR_H_
#define WARDEN_HTTP_BEARER_AUTHENTICATOR_H_

#include <optional>
#include <string_view>

#include "core/principal.h"
#include "core/status.h"
#include "service/caller.h"

namespace warden {

class BearerAuthenticator {
 public:
  virtual ~BearerAuthenticator() = default;

  // True when `token` has the shape of a workload access token and workload
  // tokens are accepted at all. Shape only: never says it is valid.
  virtual bool IsWorkloadToken(std::string_view token) const = 0;

  // A Warden API token, or whatever the header held (empty when it was
  // missing or malformed), so that every failure is audited.
  // kUnauthenticated when it does not authenticate.
  virtual Result<Principal> AuthenticateApiToken(
      std::string_view token, std::string_view remote,
      std::string_view request_id) = 0;

  // The principal of a Warden API token when memory can tell (a cached
  // authentication), else nullopt: the request then runs again where it
  // may block, and AuthenticateApiToken decides. Never reads the store,
  // never audits; answers only for tokens that authenticate.
  virtual std::optional<Principal> CachedApiToken(std::string_view token) = 0;
  // A workload's own OAuth access token (IsWorkloadToken was true).
  // `certificate_thumbprint` is the x5t#S256 of the client certificate of
  // the connection ("" without one): a certificate-bound token needs it.
  virtual Result<Principal> AuthenticateWorkload(
      std::string_view token, std::string_view certificate_thumbprint,
      std::string_view remote, std::string_view request_id) = 0;

  // A console session: the request's Cookie header, its X-CSRF-Token
  // header and whether the method changes state (then the token must
  // match the session's). kUnauthenticated when the cookie is absent or
  // not a live session, kPermissionDenied ("csrf-token-invalid") for a
  // missing or wrong token; every failure is audited.
  virtual Result<Principal> AuthenticateSession(
      std::string_view cookie_header, std::string_view csrf_token,
      bool changes_state, std::string_view remote,
      std::string_view request_id) = 0;

  // A valid workload token on a route that has not opted in: records the
  // refusal and returns kPermissionDenied naming the route.
  virtual Status RefuseWorkload(const Caller& caller, std::string_view method,
                                std::string_view route) = 0;
};

}  // namespace warden

#endif  // WARDEN_HTTP_BEARER_AUTHENTICATOR_H_
