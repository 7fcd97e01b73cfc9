#include <boost/json/array.hpp>

#include "api/api_routes.h"
#include "api/approval_json.h"
#include "api/resource_json.h"
#include "api/route_glue.h"
#include "core/crypto.h"
#include "core/id.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

// Page size bounds: one page is one store query and one response body.
inline constexpr int64_t kMaxPageSize = 500;
inline constexpr int64_t kDefaultPageSize = 50;

// Cursors are opaque to clients: base64url of the last id of the page.
std::string EncodeCursor(const std::string& last_id) {
  return Base64UrlEncode(last_id);
}

Status DecodeCursor(const std::string& cursor, PageRequest* page) {
  Result<std::string> id = Base64UrlDecode(cursor);
  if (!id.ok() || !IsWellFormedId(*id)) {
    return InvalidArgument(
        "query parameter \"cursor\" is not a cursor "
        "returned by this API",
        "bad-query-parameter");
  }
  page->after_id = *id;
  return Status::Ok();
}

Status ReadListQuery(const ApiRequest& request, IdentityFilter* filter,
                     PageRequest* page) {
  QueryReader query(request.query);
  query.String("owner", &filter->owner);
  query.String("application", &filter->application);
  query.Enum("environment", &filter->environment, &ParseEnvironment,
             &AllowedEnvironments);
  query.Enum("kind", &filter->kind, &ParseIdentityKind, &AllowedIdentityKinds);
  query.Enum("risk_tier", &filter->risk_tier, &ParseRiskTier,
             &AllowedRiskTiers);
  query.Enum("status", &filter->status, &ParseIdentityStatus,
             &AllowedIdentityStatuses);
  query.String("vendor", &filter->vendor);
  query.String("tenant", &filter->tenant);
  query.Time("expiring_before", &filter->expiring_before);
  query.String("q", &filter->name_contains);
  std::optional<int64_t> limit;
  query.Int("limit", &limit, 1, kMaxPageSize);
  std::optional<std::string> cursor;
  query.String("cursor", &cursor);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  page->limit = static_cast<int>(limit.value_or(kDefaultPageSize));
  if (cursor) WARDEN_RETURN_IF_ERROR(DecodeCursor(*cursor, page));
  return Status::Ok();
}

ApiResponse IdentityResponse(const Identity& identity) {
  return VersionedResponse(ToJson(identity), identity.version);
}

Result<ApiResponse> ListIdentities(inventory::InventoryService& inventory,
                                   const ApiRequest& request) {
  IdentityFilter filter;
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(ReadListQuery(request, &filter, &page));
  WARDEN_ASSIGN_OR_RETURN(Page<Identity> result,
                          inventory.List(request.caller, filter, page));
  boost::json::array items;
  for (const Identity& identity : result.items) {
    items.push_back(ToJson(identity));
  }
  boost::json::object body{{"items", std::move(items)}};
  body["next_cursor"] =
      result.next_after_id
          ? boost::json::value(EncodeCursor(*result.next_after_id))
          : boost::json::value(nullptr);
  return JsonResponse(body);
}

Result<ApiResponse> CreateIdentity(inventory::InventoryService& inventory,
                                   const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(inventory::IdentityDraft draft,
                          IdentityDraftFromJson(body));
  ApprovalRecord opened;
  WARDEN_ASSIGN_OR_RETURN(
      Identity created,
      inventory.Create(request.caller, std::move(draft), &opened));
  boost::json::object json = ToJson(created);
  // A change-controlled registration: pending, with the approval it waits
  // for.
  if (!opened.id.empty()) {
    json["approval"] = ToJson(approvals::ApprovalView{std::move(opened)});
  }
  return CreatedResponse(json, created.version, "/v1/identities/" + created.id);
}

Result<ApiResponse> GetIdentity(inventory::InventoryService& inventory,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      Identity identity,
      inventory.Get(request.caller, PathParam(request, "id")));
  return IdentityResponse(identity);
}

Result<ApiResponse> PatchIdentity(inventory::InventoryService& inventory,
                                  const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(inventory::IdentityPatch patch,
                          IdentityPatchFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(patch.expected_version,
                          IfMatchVersion(request, "identity"));
  ApprovalRecord opened;
  WARDEN_ASSIGN_OR_RETURN(
      Identity updated,
      inventory.Update(request.caller, PathParam(request, "id"), patch,
                       &opened));
  if (opened.id.empty()) return IdentityResponse(updated);
  // A widening held for approval: nothing changed yet (RFC 9110 15.3.3).
  const std::string location = "/v1/approvals/" + opened.id;
  ApiResponse held =
      JsonResponse(ToJson(approvals::ApprovalView{std::move(opened)}), 202);
  held.headers.emplace_back("Location", location);
  return held;
}

Result<ApiResponse> TransitionIdentity(inventory::InventoryService& inventory,
                                       inventory::LifecycleAction action,
                                       const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body, JsonBodyOrEmpty(request));
  WARDEN_ASSIGN_OR_RETURN(std::string reason, ReasonFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(
      Identity identity,
      inventory.Transition(request.caller, PathParam(request, "id"), action,
                           std::move(reason)));
  return IdentityResponse(identity);
}

}  // namespace

void AddIdentityRoutes(Router& router, inventory::InventoryService& inventory) {
  using inventory::LifecycleAction;
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  router.Add({"GET", "/v1/identities", kAuth, kBlock,
              Bind(inventory, ListIdentities)});
  router.Add({"POST", "/v1/identities", kAuth, kBlock,
              Bind(inventory, CreateIdentity)});
  router.Add({"GET", "/v1/identities/{id}", kAuth, kBlock,
              Bind(inventory, GetIdentity)});
  router.Add({"PATCH", "/v1/identities/{id}", kAuth, kBlock,
              Bind(inventory, PatchIdentity)});
  router.Add({"POST", "/v1/identities/{id}/suspend", kAuth, kBlock,
              Bind(inventory, TransitionIdentity, LifecycleAction::kSuspend)});
  router.Add({"POST", "/v1/identities/{id}/resume", kAuth, kBlock,
              Bind(inventory, TransitionIdentity, LifecycleAction::kResume)});
  router.Add({"POST", "/v1/identities/{id}/revoke", kAuth, kBlock,
              Bind(inventory, TransitionIdentity, LifecycleAction::kRevoke)});
}

}  // namespace warden::api
