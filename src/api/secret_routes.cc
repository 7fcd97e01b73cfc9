#include "api/secret_routes.h"

#include <boost/json/array.hpp>

#include "api/route_glue.h"
#include "core/time_format.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

constexpr int64_t kMaxOverlapSeconds = 30LL * 24 * 3600;

boost::json::object ToJson(const custody::SecretView& view) {
  const SecretRecord& s = view.secret;
  boost::json::array versions;
  for (const SecretVersionRecord& v : view.versions) {
    boost::json::object item{{"version", v.version},
                             {"state", v.state},
                             {"created_at", FormatRfc3339(v.created_at)}};
    if (v.inactive_until) {
      item["inactive_until"] = FormatRfc3339(*v.inactive_until);
    }
    versions.push_back(std::move(item));
  }
  boost::json::object out{{"id", s.id},
                          {"name", s.name},
                          {"identity_id", s.identity_id},
                          {"description", s.description},
                          {"current_version", s.current_version},
                          {"created_by", s.created_by},
                          {"created_at", FormatRfc3339(s.created_at)},
                          {"updated_at", FormatRfc3339(s.updated_at)},
                          {"versions", std::move(versions)}};
  out["rotation_due_at"] = TimeOrNull(s.rotation_due_at);
  return out;
}

Result<ApiResponse> Put(custody::SecretService& service,
                        const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  custody::SecretPut put;
  reader.String("name", &put.name, Presence::kRequired);
  reader.String("identity", &put.identity, Presence::kRequired);
  reader.String("description", &put.description);
  reader.String("value", &put.value, Presence::kRequired);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(custody::SecretView view,
                          service.Put(request.caller, put));
  return JsonResponse(ToJson(view), 201);
}

Result<ApiResponse> Rotate(custody::SecretService& service,
                           const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string value;
  std::optional<int64_t> overlap;
  reader.String("value", &value, Presence::kRequired);
  reader.Int("overlap_seconds", &overlap);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  if (overlap && (*overlap < 0 || *overlap > kMaxOverlapSeconds)) {
    return InvalidArgument("overlap_seconds: must be 0 to 30 days",
                           "invalid-value");
  }
  const std::chrono::seconds window =
      overlap ? std::chrono::seconds(*overlap)
              : std::chrono::seconds(custody::kDefaultSecretOverlap);
  WARDEN_ASSIGN_OR_RETURN(
      custody::SecretView view,
      service.Rotate(request.caller, PathParam(request, "name"), value,
                     window));
  return JsonResponse(ToJson(view));
}

Result<ApiResponse> Value(custody::SecretService& service,
                          const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<int64_t> version;
  query.Int("version", &version, 1, INT32_MAX);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      custody::SecretValue value,
      service.Read(request.caller, PathParam(request, "name"), version));
  ApiResponse response =
      JsonResponse(boost::json::object{{"name", value.name},
                                       {"version", value.version},
                                       {"state", value.state},
                                       {"value", value.value}});
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<ApiResponse> List(custody::SecretService& service,
                         const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<custody::SecretView> views,
                          service.List(request.caller));
  return ItemsResponse(
      views, [](const custody::SecretView& view) { return ToJson(view); });
}

}  // namespace

void AddSecretRoutes(Router& router, custody::SecretService& secrets) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  router.Add({"GET", "/v1/secrets", kAuth, kBlock, Bind(secrets, List)});
  router.Add({"POST", "/v1/secrets", kAuth, kBlock, Bind(secrets, Put)});
  router.Add({"POST", "/v1/secrets/{name}/rotate", kAuth, kBlock,
              Bind(secrets, Rotate)});
  // The owning identity's own access token may read (secrets:read).
  router.Add({"GET", "/v1/secrets/{name}/value", kAuth, kBlock,
              Bind(secrets, Value), RouteWorkload::kAccepted});
}

}  // namespace warden::api
