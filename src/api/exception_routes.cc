#include "api/api_routes.h"
#include "api/resource_json.h"
#include "api/route_glue.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

enum class Decision { kApprove, kReject, kRevoke };

Result<ApiResponse> ListExceptions(inventory::ExceptionService& exceptions,
                                   const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> identity_name;
  query.String("identity_name", &identity_name);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<PolicyException> list,
      exceptions.List(request.caller, identity_name.value_or("")));
  return ItemsResponse(list,
                       [](const PolicyException& e) { return ToJson(e); });
}

Result<ApiResponse> RequestException(inventory::ExceptionService& exceptions,
                                     const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(PolicyException draft,
                          ExceptionRequestFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(PolicyException created,
                          exceptions.Request(request.caller, std::move(draft)));
  return JsonResponse(ToJson(created), 201);
}

Result<ApiResponse> GetException(inventory::ExceptionService& exceptions,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      PolicyException e,
      exceptions.Get(request.caller, PathParam(request, "id")));
  return JsonResponse(ToJson(e));
}

Result<ApiResponse> DecideException(inventory::ExceptionService& exceptions,
                                    Decision decision,
                                    const ApiRequest& request) {
  const std::string& id = PathParam(request, "id");
  Result<PolicyException> result =
      decision == Decision::kRevoke
          ? exceptions.Revoke(request.caller, id)
          : exceptions.Decide(request.caller, id,
                              decision == Decision::kApprove);
  if (!result.ok()) return result.status();
  return JsonResponse(ToJson(*result));
}

}  // namespace

void AddExceptionRoutes(Router& router,
                        inventory::ExceptionService& exceptions) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  router.Add({"GET", "/v1/exceptions", kAuth, kBlock,
              Bind(exceptions, ListExceptions)});
  router.Add({"POST", "/v1/exceptions", kAuth, kBlock,
              Bind(exceptions, RequestException)});
  router.Add({"GET", "/v1/exceptions/{id}", kAuth, kBlock,
              Bind(exceptions, GetException)});
  router.Add({"POST", "/v1/exceptions/{id}/approve", kAuth, kBlock,
              Bind(exceptions, DecideException, Decision::kApprove)});
  router.Add({"POST", "/v1/exceptions/{id}/reject", kAuth, kBlock,
              Bind(exceptions, DecideException, Decision::kReject)});
  router.Add({"POST", "/v1/exceptions/{id}/revoke", kAuth, kBlock,
              Bind(exceptions, DecideException, Decision::kRevoke)});
}

}  // namespace warden::api
