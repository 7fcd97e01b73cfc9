// Unauthenticated operational endpoints, answered inline on the I/O thread.
#include "api/api_routes.h"
#include "http/problem.h"

namespace warden::api {

void AddOperationsRoutes(Router& router, Store& store, Metrics& metrics) {
  router.Add({"GET", "/healthz", RouteAccess::kPublic, RouteCost::kInline,
              [](const ApiRequest&) -> Result<ApiResponse> {
                return JsonResponse(boost::json::object{{"status", "ok"}});
              }});
  router.Add({"GET", "/readyz", RouteAccess::kPublic, RouteCost::kInline,
              [&store](const ApiRequest&) -> Result<ApiResponse> {
                if (!store.Healthy()) {
                  return Unavailable("the store is not available");
                }
                return JsonResponse(boost::json::object{{"status", "ready"}});
              }});
  router.Add({"GET", "/metrics", RouteAccess::kPublic, RouteCost::kInline,
              [&metrics](const ApiRequest&) -> Result<ApiResponse> {
                ApiResponse response;
                response.content_type = "text/plain; version=0.0.4";
                response.body = metrics.Render();
                return response;
              }});
}

}  // namespace warden::api
