#include "api/api_routes.h"
#include "api/approval_json.h"
#include "api/resource_json.h"
#include "api/route_glue.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

Status ReadListQuery(const ApiRequest& request, approvals::ApprovalQuery* q,
                     PageRequest* page) {
  QueryReader query(request.query);
  std::optional<std::string> state, kind, release, tenant, identity, requester,
      after;
  query.String("state", &state);
  query.String("kind", &kind);
  query.String("release", &release);
  query.String("tenant", &tenant);
  query.String("identity", &identity);
  query.String("requester", &requester);
  q->mine = ReadTwoWordParam(query, {"mine", "true", "false", false});
  std::optional<int64_t> limit;
  query.Int("limit", &limit, 1, kMaxPageSize);
  query.String("after", &after);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  q->state = state.value_or("");
  q->kind = kind.value_or("");
  q->release_id = release.value_or("");
  q->tenant_key = tenant.value_or("");
  q->identity_id = identity.value_or("");
  q->requester = requester.value_or("");
  page->limit = static_cast<int>(limit.value_or(kDefaultPageSize));
  page->after_id = after;
  return Status::Ok();
}

Result<ApiResponse> ListApprovals(approvals::ApprovalEngine& engine,
                                  const ApiRequest& request) {
  approvals::ApprovalQuery query;
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(ReadListQuery(request, &query, &page));
  WARDEN_ASSIGN_OR_RETURN(Page<approvals::ApprovalView> found,
                          engine.List(request.caller, query, page));
  boost::json::array items;
  for (const approvals::ApprovalView& view : found.items) {
    items.push_back(ToJson(view));
  }
  boost::json::object body{{"items", std::move(items)}};
  body["next_after"] = found.next_after_id
                           ? boost::json::value(*found.next_after_id)
                           : boost::json::value(nullptr);
  return JsonResponse(body);
}

Result<ApiResponse> GetApproval(approvals::ApprovalEngine& engine,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(approvals::ApprovalView view,
                          engine.Get(request.caller, PathParam(request, "id")));
  return JsonResponse(ToJson(view));
}

Result<ApiResponse> DecideApproval(approvals::ApprovalEngine& engine,
                                   bool approve, const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body, JsonBodyOrEmpty(request));
  WARDEN_ASSIGN_OR_RETURN(std::string reason,
                          ReasonFromJson(body, Presence::kRequired));
  WARDEN_ASSIGN_OR_RETURN(
      approvals::ApprovalView view,
      engine.Decide(request.caller, PathParam(request, "id"), approve,
                    std::move(reason)));
  return JsonResponse(ToJson(view));
}

}  // namespace

void AddApprovalRoutes(Router& router, approvals::ApprovalEngine& engine) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  router.Add(
      {"GET", "/v1/approvals", kAuth, kBlock, Bind(engine, ListApprovals)});
  router.Add(
      {"GET", "/v1/approvals/{id}", kAuth, kBlock, Bind(engine, GetApproval)});
  router.Add({"POST", "/v1/approvals/{id}/approve", kAuth, kBlock,
              Bind(engine, DecideApproval, true)});
  router.Add({"POST", "/v1/approvals/{id}/decline", kAuth, kBlock,
              Bind(engine, DecideApproval, false)});
}

}  // namespace warden::api
