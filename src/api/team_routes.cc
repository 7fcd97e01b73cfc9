#include "api/api_routes.h"
#include "api/resource_json.h"
#include "api/route_glue.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

Result<ApiResponse> ListTeams(inventory::TeamService& teams,
                              const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<Team> list, teams.List(request.caller));
  return ItemsResponse(list, [](const Team& team) { return ToJson(team); });
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

void AddTeamRoutes(Router& router, inventory::TeamService& teams) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  router.Add({"GET", "/v1/teams", kAuth, kBlock, Bind(teams, ListTeams)});
  router.Add({"POST", "/v1/teams", kAuth, kBlock, Bind(teams, CreateTeam)});
  router.Add({"GET", "/v1/teams/{name}", kAuth, kBlock, Bind(teams, GetTeam)});
  router.Add(
      {"PUT", "/v1/teams/{name}", kAuth, kBlock, Bind(teams, ReplaceTeam)});
  router.Add(
      {"DELETE", "/v1/teams/{name}", kAuth, kBlock, Bind(teams, DeleteTeam)});
}

}  // namespace warden::api
