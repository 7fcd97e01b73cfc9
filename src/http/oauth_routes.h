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
#ifndef WARDEN_HTTP_OAUTH_ROUTES_H_
#define WARDEN_HTTP_OAUTH_ROUTES_H_

#include <memory>

#include "http/oauth_server.h"
#include "http/router.h"
#include "service/access_service.h"

namespace warden {

// `server` is filled in once the listener knows its port (before serving);
// until then the endpoints answer 503. Borrowed: must outlive the router.
void AddOAuthRoutes(Router& router, const std::unique_ptr<OAuthServer>& server,
                    AccessService& access, Auditor& auditor);

// The /v1 part alone (oauth_admin_routes.cc); AddOAuthRoutes includes it.
void AddOAuthAdminRoutes(Router& router,
                         const std::unique_ptr<OAuthServer>& server,
                         Auditor& auditor);

}  // namespace warden

#endif  // WARDEN_HTTP_OAUTH_ROUTES_H_
