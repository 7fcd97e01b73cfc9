#include "http/stream_routes.h"

#include <charconv>

#include "http/sse_stream.h"

namespace warden {
namespace {

// Last-Event-ID is a revision; anything else means "send the full state".
std::optional<int64_t> ParseLastEventId(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < 0) {
    return std::nullopt;
  }
  return value;
}

Result<ApiResponse> OpenStream(const StreamServices& services,
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
      ParseLastEventId(request.last_event_id), services.registry);
  return response;
}

}  // namespace

void AddStreamRoutes(Router& router, const StreamServices& services) {
  router.Add({"GET", "/v1/stream", RouteAccess::kPublic, RouteCost::kInline,
              [services](const ApiRequest& request) {
                return OpenStream(services, request);
              }});
}

}  // namespace warden
