#include "api/stream_routes.h"

#include "api/sse_stream.h"
#include "api/tenant_stream_format.h"

namespace warden::api {
namespace {

// What the caller may see: the environment, or a tenant-bound token's own
// tenant view (no byte about another tenant leaves on this route).
struct StreamFormats {
  std::shared_ptr<const ConfigStreamFormat> environment =
      std::make_shared<const ConfigStreamFormat>();
  std::shared_ptr<TenantFrameCache> tenant_frames =
      std::make_shared<TenantFrameCache>();

  std::shared_ptr<const SseFormat> For(const Principal& principal) const {
    if (principal.tenant.empty()) return environment;
    return std::make_shared<const TenantStreamFormat>(principal.tenant,
                                                      tenant_frames);
  }
};

Result<ApiResponse> OpenStream(const StreamServices& services,
                               const StreamFormats& formats,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(EvaluationCaller caller,
                          services.authenticator.Authenticate(request));
  WARDEN_ASSIGN_OR_RETURN(StreamRegistry::Reservation slot,
                          services.registry.Reserve(caller.principal.token_id));
  ApiResponse response;
  response.content_type = "text/event-stream";
  response.stream = std::make_shared<SseStream>(
      services.feed, caller.environment,
      ParseEventId(request.last_event_id, services.registry.run_id()),
      std::move(slot), formats.For(caller.principal));
  return response;
}

}  // namespace

// One set of formats for every stream of this router: they share frames.
void AddStreamRoutes(Router& router, const StreamServices& services) {
  auto formats = std::make_shared<const StreamFormats>();
  router.Add({"GET", "/v1/stream", RouteAccess::kPublic,
              RouteCost::kInlineFirst,
              [services, formats](const ApiRequest& request) {
                return OpenStream(services, *formats, request);
              }});
}

}  // namespace warden::api
