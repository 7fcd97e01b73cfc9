#include <boost/json/array.hpp>

#include "api/api_routes.h"
#include "api/resource_json.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

Result<ApiResponse> ListTeams(inventory::TeamService& teams,
                              const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<Team> list, teams.List(request.caller));
  boost::json::array items;
  for (const Team& team : list) items.push_back(ToJson(team));
  return JsonResponse(boost::json::object{{"items", std::move(items)}});
}

Result<ApiResponse> CreateTeam(inventory::TeamService& teams,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(Team team, TeamFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(Team created,
                          teams.Create(request.caller, std::move(team)));
  return JsonResponse(ToJson(created), 201);
}

Result<ApiResponse> GetTeam(inventory::TeamService& teams,
                            const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      Team team, teams.Get(request.caller, PathParam(request, "name")));
  return JsonResponse(ToJson(team));
}

Result<ApiResponse> ReplaceTeam(inventory::TeamService& teams,
                                const ApiRequest& request) {
  const std::string& name = PathParam(request, "name");
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> members,
                          TeamMembersFromJson(body, name));
  WARDEN_ASSIGN_OR_RETURN(
      Team team, teams.SetMembers(request.caller, name, std::move(members)));
  return JsonResponse(ToJson(team));
}

Result<ApiResponse> DeleteTeam(inventory::TeamService& teams,
                               const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(
      teams.Delete(request.caller, PathParam(request, "name")));
  return NoContent();
}

}  // namespace

const std::string& PathParam(const ApiRequest& request, std::string_view name) {
  static const std::string kEmpty;
  auto it = request.path_params.find(name);
  return it == request.path_params.end() ? kEmpty : it->second;
}

ApiResponse NoContent() {
  ApiResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

void AddTeamRoutes(Router& router, inventory::TeamService& teams) {
  auto bind = [&teams](auto fn) {
    return [&teams, fn](const ApiRequest& r) { return fn(teams, r); };
  };
  router.Add({"GET", "/v1/teams", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, bind(ListTeams)});
  router.Add({"POST", "/v1/teams", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, bind(CreateTeam)});
  router.Add({"GET", "/v1/teams/{name}", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, bind(GetTeam)});
  router.Add({"PUT", "/v1/teams/{name}", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, bind(ReplaceTeam)});
  router.Add({"DELETE", "/v1/teams/{name}", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, bind(DeleteTeam)});
}

}  // namespace warden::api
