// Secret store routes under /v1/secrets. Values are returned only by
// GET /v1/secrets/{name}/value (security and admin API tokens, or the
// owning identity's own access token with scope secrets:read), with
// no-store caching. No other secret route accepts a workload token.
#ifndef WARDEN_HTTP_SECRET_ROUTES_H_
#define WARDEN_HTTP_SECRET_ROUTES_H_

#include "http/router.h"
#include "service/secret_service.h"

namespace warden {

void AddSecretRoutes(Router& router, SecretService& secrets);

}  // namespace warden

#endif  // WARDEN_HTTP_SECRET_ROUTES_H_
