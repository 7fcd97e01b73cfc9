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
  WARDEN_ASSIGN_OR_RETURN(StreamRegistry::Reservation slot,
                          services.registry.Reserve(caller.principal.token_id));
  ApiResponse response;
  response.content_type = "text/event-stream";
  response.stream = std::make_shared<SseStream>(
      services.feed, caller.environment,
      ParseEventId(request.last_event_id, services.registry.run_id()),
      std::move(slot), format);
  return response;
}

}  // namespace

// One format for every stream of this router: they share its frames.
void AddStreamRoutes(Router& router, const StreamServices& services) {
  auto format = std::make_shared<const ConfigStreamFormat>();
  router.Add({"GET", "/v1/stream", RouteAccess::kPublic,
              RouteCost::kInlineFirst,
              [services, format](const ApiRequest& request) {
                return OpenStream(services, format, request);
              }});
}

}  // namespace warden
