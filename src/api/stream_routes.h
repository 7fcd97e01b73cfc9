// GET /v1/stream?environment=ENV: the configuration stream (Server-Sent
// Events, see sse_stream.h) for SDKs that evaluate in-process. Accepts sdk
// tokens (their own environment) and admin tokens, by X-API-Key or bearer,
// through the same cached authentication as OFREP. Resumes from the
// Last-Event-ID header. 503 with Retry-After when the server or the token
// has its cap of open streams (StreamRegistry). Answered on the I/O thread
// when the token is cached, else on the worker pool (kInlineFirst).
// A token bound to a tenant receives only that tenant's view, as full
// states (tenant_stream_format.h).
#ifndef WARDEN_API_STREAM_ROUTES_H_
#define WARDEN_API_STREAM_ROUTES_H_

#include "api/ofrep_authenticator.h"
#include "exposure/config_feed.h"
#include "http/router.h"
#include "http/stream_registry.h"

namespace warden::api {

struct StreamServices {
  exposure::ConfigFeed& feed;
  OfrepAuthenticator& authenticator;
  StreamRegistry& registry;
};

void AddStreamRoutes(Router& router, const StreamServices& services);

}  // namespace warden::api

#endif  // WARDEN_API_STREAM_ROUTES_H_
