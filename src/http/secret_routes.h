// Secret store routes under /v1/secrets. Values are returned only by
// GET /v1/secrets/{name}/value (security and admin), with no-store caching.
#ifndef WARDEN_HTTP_SECRET_ROUTES_H_
#define WARDEN_HTTP_SECRET_ROUTES_H_

#include "http/router.h"
#include "service/secret_service.h"

namespace warden {

void AddSecretRoutes(Router& router, SecretService& secrets);

}  // namespace warden

#endif  // WARDEN_HTTP_SECRET_ROUTES_H_
