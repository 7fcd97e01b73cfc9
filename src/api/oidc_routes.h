// Console single sign-on with the company's OpenID provider (OpenID Connect
// Core 1.0 section 3.1, authorization code flow with PKCE):
//
//   GET /v1/session/oidc           (public) {"enabled", "issuer"}
//   GET /v1/session/oidc/start     (public) ?return_to=/ui/... -> 302 to
//       the provider; 404 "oidc-disabled", 400 "oidc-return-to-invalid"
//       (anything but a path on this server: no open redirects), 503 when
//       the provider is unreachable.
//   GET /v1/session/oidc/callback  (public) ?code=&state=[&iss=] (or
//       ?error=; an iss other than the provider's is refused, RFC 9207) ->
//       302 to return_to with the session cookie; every refusal -> 302 to
//       /ui/#/signin?error=<problem slug>, audited as "session.create";
//       a source address with too many refusals gets 429
//       "too-many-auth-failures" with Retry-After.
//
// The callback runs on the worker pool: it calls the provider's token
// endpoint (bounded by outbound::OidcClientLimits::timeout).
#ifndef WARDEN_API_OIDC_ROUTES_H_
#define WARDEN_API_OIDC_ROUTES_H_

#include <memory>

#include "http/router.h"
#include "service/auditor.h"
#include "service/auth_failure_throttle.h"
#include "signin/oidc_relying_party.h"
#include "signin/sign_in_service.h"

namespace warden::api {

struct OidcRouteDeps {
  // Null while single sign-on is off (no --oidc-issuer), or before the
  // server knows its own URL; read at request time.
  const std::unique_ptr<signin::OidcRelyingParty>& relying_party;
  signin::SignInService& sign_in;
  Auditor& auditor;
  // The cookie's Secure attribute (false only for plain http on loopback).
  bool secure_cookie = true;
  // Refused callbacks count as failed authentications of their source
  // address; past its budget the callback answers 429 before touching the
  // store. May be null (no limit).
  AuthFailureThrottle* throttle = nullptr;
};

void AddOidcRoutes(Router& router, OidcRouteDeps deps);

// Where a refused callback sends the browser: the console's sign-in page
// with the problem slug (only [a-z0-9-] kept).
std::string SignInErrorLocation(std::string_view problem);

}  // namespace warden::api

#endif  // WARDEN_API_OIDC_ROUTES_H_
