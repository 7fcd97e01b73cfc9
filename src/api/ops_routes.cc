// Unauthenticated operational endpoints: /healthz (liveness, inline),
// /readyz and /metrics (on the worker pool: a readiness check and the
// metrics' cached counts may read the store).
#include <boost/json/array.hpp>

#include "api/api_routes.h"
#include "http/problem.h"

namespace warden::api {
namespace {

constexpr char kNotReadyProblem[] = "not-ready";

boost::json::array ChecksJson(const std::vector<HealthCheck>& checks) {
  boost::json::array out;
  for (const HealthCheck& check : checks) {
    out.push_back(boost::json::object{
        {"name", check.name}, {"ok", check.ok}, {"detail", check.detail}});
  }
  return out;
}

// 200 {"status": "ready", "checks": [...]} when every check passes; else
// 503 problem+json (RFC 9457) naming the failing checks, with the same
// "checks" member as an extension.
ApiResponse Readiness(const std::vector<HealthCheck>& checks,
                      const ApiRequest& request) {
  std::string failing;
  for (const HealthCheck& check : checks) {
    if (check.ok) continue;
    failing += (failing.empty() ? "" : "; ") + check.name + ": " + check.detail;
  }
  if (failing.empty()) {
    return JsonResponse(boost::json::object{{"status", "ready"},
                                            {"checks", ChecksJson(checks)}});
  }
  boost::json::object body;
  body["type"] = std::string(kProblemTypePrefix) + kNotReadyProblem;
  body["title"] = "Not ready";
  body["status"] = 503;
  body["detail"] = "not ready: " + failing;
  body["instance"] = "/readyz";
  body["request_id"] = request.request_id;
  body["checks"] = ChecksJson(checks);
  ApiResponse response = JsonResponse(body, 503);
  response.content_type = kProblemContentType;
  return response;
}

}  // namespace

void AddOperationsRoutes(Router& router, ReadinessProbe readiness,
                         Metrics& metrics) {
  router.Add({"GET", "/healthz", RouteAccess::kPublic, RouteCost::kInline,
              [](const ApiRequest&) -> Result<ApiResponse> {
                return JsonResponse(boost::json::object{{"status", "ok"}});
              }});
  router.Add({"GET", "/readyz", RouteAccess::kPublic, RouteCost::kBlocking,
              [readiness = std::move(readiness)](
                  const ApiRequest& request) -> Result<ApiResponse> {
                return Readiness(readiness(), request);
              }});
  router.Add({"GET", "/metrics", RouteAccess::kPublic, RouteCost::kBlocking,
              [&metrics](const ApiRequest&) -> Result<ApiResponse> {
                ApiResponse response;
                response.content_type = "text/plain; version=0.0.4";
                response.body = metrics.Render();
                return response;
              }});
}

}  // namespace warden::api
