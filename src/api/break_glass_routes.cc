#include "api/break_glass_routes.h"

#include "api/route_glue.h"
#include "core/time_format.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

boost::json::object ToJson(const BreakGlassRecord& r) {
  return {{"id", r.id},
          {"kind", r.kind},
          {"target_id", r.target_id},
          {"target_name", r.target_name},
          {"actor", r.actor},
          {"reason", r.reason},
          {"created_at", FormatRfc3339(r.created_at)},
          {"expires_at", FormatRfc3339(r.expires_at)},
          {"ended_at", TimeOrNull(r.ended_at)},
          {"reviewed_by", r.reviewed_by},
          {"reviewed_at", TimeOrNull(r.reviewed_at)},
          {"review_note", r.review_note}};
}

Result<ApiResponse> ReadSecret(custody::BreakGlassService& service,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string secret, reason;
  reader.String("secret", &secret, Presence::kRequired);
  reader.String("reason", &reason, Presence::kRequired);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(custody::BreakGlassSecretRead read,
                          service.ReadSecret(request.caller, secret, reason));
  boost::json::object out = ToJson(read.record);
  out["secret"] = boost::json::object{{"name", read.value.name},
                                      {"version", read.value.version},
                                      {"value", read.value.value}};
  ApiResponse response = JsonResponse(out, 201);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<ApiResponse> Reactivate(custody::BreakGlassService& service,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string identity, reason;
  std::optional<int64_t> duration;
  reader.String("identity", &identity, Presence::kRequired);
  reader.String("reason", &reason, Presence::kRequired);
  reader.Int("duration_seconds", &duration);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  const int64_t max =
      std::chrono::seconds(custody::kMaxBreakGlassWindow).count();
  if (duration && (*duration <= 0 || *duration > max)) {
    return InvalidArgument("duration_seconds: must be 1 to 28800",
                           "invalid-value");
  }
  const std::chrono::seconds window =
      duration ? std::chrono::seconds(*duration)
               : std::chrono::seconds(custody::kDefaultBreakGlassWindow);
  WARDEN_ASSIGN_OR_RETURN(
      BreakGlassRecord record,
      service.Reactivate(request.caller, identity, reason, window));
  return JsonResponse(ToJson(record), 201);
}

Result<ApiResponse> List(custody::BreakGlassService& service,
                         const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> unreviewed;
  query.String("unreviewed", &unreviewed);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      bool unreviewed_only,
      CheckTwoWordParam({"unreviewed", "true", "false"}, unreviewed));
  WARDEN_ASSIGN_OR_RETURN(std::vector<BreakGlassRecord> records,
                          service.List(request.caller, unreviewed_only));
  return ItemsResponse(records,
                       [](const BreakGlassRecord& r) { return ToJson(r); });
}

Result<ApiResponse> Review(custody::BreakGlassService& service,
                           const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body, JsonBodyOrEmpty(request));
  JsonObjectReader reader(body);
  std::string note;
  reader.String("note", &note);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      BreakGlassRecord record,
      service.Review(request.caller, PathParam(request, "id"), note));
  return JsonResponse(ToJson(record));
}

}  // namespace

void AddBreakGlassRoutes(Router& router,
                         custody::BreakGlassService& break_glass) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  router.Add(
      {"GET", "/v1/break-glass", kAuth, kBlock, Bind(break_glass, List)});
  router.Add({"POST", "/v1/break-glass/secret-read", kAuth, kBlock,
              Bind(break_glass, ReadSecret)});
  router.Add({"POST", "/v1/break-glass/reactivate", kAuth, kBlock,
              Bind(break_glass, Reactivate)});
  router.Add({"POST", "/v1/break-glass/{id}/review", kAuth, kBlock,
              Bind(break_glass, Review)});
}

}  // namespace warden::api
