#include "http/stream_routes.h"

#include "http/sse_stream.h"

namespace warden {
namespace {

Result<ApiResponse> OpenStream(
    const StreamServices& services,
    const std::shared_ptr<const ConfigStreamFormat>& format,
    const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(EvaluationCaller caller,
                          services.authenticator.Authenticate(request));
  if (!services.registry.TryReserve()) {
    return Unavailable("too many open streams; retry later");
  }
  ApiResponse response;
  response.content_type = "text/event-stream";
  response.stream = std::make_shared<SseStream>(
      services.feed, caller.environment,
      ParseEventId(request.last_event_id, services.registry.run_id()),
      services.registry, format);
  return response;
}

}  // namespace

// One format for every stream of this router: they share its frames.
void AddStreamRoutes(Router& router, const StreamServices& services) {
  auto format = std::make_shared<const ConfigStreamFormat>();
  router.Add({"GET", "/v1/stream", RouteAccess::kPublic, RouteCost::kInline,
              [services, format](const ApiRequest& request) {
                return OpenStream(services, format, request);
              }});
}

}  // namespace warden
