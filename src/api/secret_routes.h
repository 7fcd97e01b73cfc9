// Secret store routes under /v1/secrets. Values are returned only by
// GET /v1/secrets/{name}/value (security and admin API tokens, or the
// owning identity's own access token with scope secrets:read), with
// no-store caching. No other secret route accepts a workload token.
#ifndef WARDEN_API_SECRET_ROUTES_H_
#define WARDEN_API_SECRET_ROUTES_H_

#include "custody/secret_service.h"
#include "http/router.h"

namespace warden::api {

void AddSecretRoutes(Router& router, custody::SecretService& secrets);

}  // namespace warden::api

#endif  // WARDEN_API_SECRET_ROUTES_H_
