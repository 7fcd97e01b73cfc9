// Warden's own users and API tokens.
#include "api/api_routes.h"
#include "api/resource_json.h"
#include "api/route_glue.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

Result<ApiResponse> ListUsers(inventory::AccessService& access,
                              const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<User> users,
                          access.ListUsers(request.caller));
  return ItemsResponse(users, [](const User& user) { return ToJson(user); });
}

Result<ApiResponse> CreateUser(inventory::AccessService& access,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(User user, UserFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(User created,
                          access.CreateUser(request.caller, std::move(user)));
  return JsonResponse(ToJson(created), 201);
}

Result<ApiResponse> GetUser(inventory::AccessService& access,
                            const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      User user, access.GetUser(request.caller, PathParam(request, "name")));
  return JsonResponse(ToJson(user));
}

Result<ApiResponse> SetUserDisabled(inventory::AccessService& access,
                                    bool disabled, const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      User user, access.SetUserDisabled(request.caller,
                                        PathParam(request, "name"), disabled));
  return JsonResponse(ToJson(user));
}

Result<ApiResponse> ListTokens(inventory::AccessService& access,
                               const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<ApiToken> tokens,
                          access.ListTokens(request.caller));
  return ItemsResponse(tokens,
                       [](const ApiToken& token) { return ToJson(token); });
}

// The only response that ever carries a token secret ("token"); it is not
// logged and cannot be retrieved again.
Result<ApiResponse> CreateToken(inventory::AccessService& access,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(inventory::TokenRequest token_request,
                          TokenRequestFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(inventory::IssuedToken issued,
                          access.CreateToken(request.caller, token_request));
  boost::json::object json = ToJson(issued.token);
  json["token"] = issued.secret;
  ApiResponse response = JsonResponse(json, 201);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<ApiResponse> RevokeToken(inventory::AccessService& access,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      ApiToken token,
      access.RevokeToken(request.caller, PathParam(request, "id")));
  return JsonResponse(ToJson(token));
}

}  // namespace

void AddAccessRoutes(Router& router, inventory::AccessService& access) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  router.Add({"GET", "/v1/users", kAuth, kBlock, Bind(access, ListUsers)});
  router.Add({"POST", "/v1/users", kAuth, kBlock, Bind(access, CreateUser)});
  router.Add({"GET", "/v1/users/{name}", kAuth, kBlock, Bind(access, GetUser)});
  router.Add({"POST", "/v1/users/{name}/disable", kAuth, kBlock,
              Bind(access, SetUserDisabled, true)});
  router.Add({"POST", "/v1/users/{name}/enable", kAuth, kBlock,
              Bind(access, SetUserDisabled, false)});
  router.Add({"GET", "/v1/tokens", kAuth, kBlock, Bind(access, ListTokens)});
  router.Add({"POST", "/v1/tokens", kAuth, kBlock, Bind(access, CreateToken)});
  router.Add({"POST", "/v1/tokens/{id}/revoke", kAuth, kBlock,
              Bind(access, RevokeToken)});
}

}  // namespace warden::api
