// The OAuth 2.0 endpoints (public: clients authenticate in the request, not
// with a Warden bearer token) and their /v1 administration routes:
//
//   POST /oauth/token                           RFC 6749 4.4 (+ RFC 7523),
//                                               RFC 8693 token exchange
//   POST /oauth/introspect                      RFC 7662
//   POST /oauth/revoke                          RFC 7009
//   GET  /oauth/jwks                            RFC 7517
//   GET  /.well-known/oauth-authorization-server  RFC 8414
//   POST /v1/identities/{id}/credentials        client_secret / private_key_jwt
//   GET|PUT /v1/identities/{id}/gating-flags    tenant-bound token gating
//   GET|PUT /v1/oauth/trusted-issuers           admin, security (RFC 8693)
//   POST /v1/oauth/keys/rotate                  admin, security
//
// OAuth errors are RFC 6749 section 5.2 JSON ({"error", "error_description"})
// rather than problem+json, because that is what OAuth clients parse; every
// token endpoint response carries Cache-Control: no-store.
#ifndef WARDEN_API_OAUTH_ROUTES_H_
#define WARDEN_API_OAUTH_ROUTES_H_

#include <memory>

#include "http/router.h"
#include "inventory/access_service.h"
#include "oauth/authorization_server.h"

namespace warden::api {

// `server` is filled in once the listener knows its port (before serving);
// until then the endpoints answer 503. Borrowed: must outlive the router.
void AddOAuthRoutes(Router& router,
                    const std::unique_ptr<oauth::AuthorizationServer>& server,
                    inventory::AccessService& access, Auditor& auditor);

// The /v1 part alone (oauth_admin_routes.cc); AddOAuthRoutes includes it.
void AddOAuthAdminRoutes(
    Router& router, const std::unique_ptr<oauth::AuthorizationServer>& server,
    Auditor& auditor);

}  // namespace warden::api

#endif  // WARDEN_API_OAUTH_ROUTES_H_
