#include <boost/json/array.hpp>

#include "api/api_routes.h"
#include "api/resource_json.h"
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

// The ETag of an identity is its version (strong; RFC 9110 section 8.8.3).
ApiResponse IdentityResponse(const Identity& identity, int status = 200) {
  ApiResponse response = JsonResponse(ToJson(identity), status);
  response.headers.emplace_back("ETag",
                                "\"" + std::to_string(identity.version) + "\"");
  return response;
}

// If-Match: "7" (or 7, or W/"7"). A list or "*" is not supported.
Status ParseIfMatch(const std::string& header,
                    inventory::IdentityPatch* patch) {
  if (header.empty()) return Status::Ok();
  std::string_view text = header;
  if (text.substr(0, 2) == "W/") text.remove_prefix(2);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  int64_t version = 0;
  bool digits = !text.empty() && text.size() <= 18;
  for (char c : text) {
    digits = digits && c >= '0' && c <= '9';
    if (digits) version = version * 10 + (c - '0');
  }
  if (!digits) {
    return InvalidArgument(
        "If-Match must be the identity's version, e.g. "
        "\"3\"",
        "bad-header");
  }
  patch->expected_version = version;
  return Status::Ok();
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
  WARDEN_ASSIGN_OR_RETURN(Identity created,
                          inventory.Create(request.caller, std::move(draft)));
  ApiResponse response = IdentityResponse(created, 201);
  response.headers.emplace_back("Location", "/v1/identities/" + created.id);
  return response;
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
  WARDEN_RETURN_IF_ERROR(ParseIfMatch(request.if_match, &patch));
  WARDEN_ASSIGN_OR_RETURN(
      Identity updated,
      inventory.Update(request.caller, PathParam(request, "id"), patch));
  return IdentityResponse(updated);
}

Result<ApiResponse> TransitionIdentity(inventory::InventoryService& inventory,
                                       inventory::LifecycleAction action,
                                       const ApiRequest& request) {
  std::string reason;
  if (!request.body.empty()) {
    WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                            ParseJsonObject(request.body));
    WARDEN_ASSIGN_OR_RETURN(reason, ReasonFromJson(body));
  }
  WARDEN_ASSIGN_OR_RETURN(
      Identity identity,
      inventory.Transition(request.caller, PathParam(request, "id"), action,
                           std::move(reason)));
  return IdentityResponse(identity);
}

}  // namespace

void AddIdentityRoutes(Router& router, inventory::InventoryService& inventory) {
  auto bind = [&inventory](auto fn) {
    return [&inventory, fn](const ApiRequest& r) { return fn(inventory, r); };
  };
  auto transition = [&inventory](inventory::LifecycleAction action) {
    return [&inventory, action](const ApiRequest& r) {
      return TransitionIdentity(inventory, action, r);
    };
  };
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  router.Add({"GET", "/v1/identities", kAuth, kBlock, bind(ListIdentities)});
  router.Add({"POST", "/v1/identities", kAuth, kBlock, bind(CreateIdentity)});
  router.Add({"GET", "/v1/identities/{id}", kAuth, kBlock, bind(GetIdentity)});
  router.Add(
      {"PATCH", "/v1/identities/{id}", kAuth, kBlock, bind(PatchIdentity)});
  router.Add({"POST", "/v1/identities/{id}/suspend", kAuth, kBlock,
              transition(inventory::LifecycleAction::kSuspend)});
  router.Add({"POST", "/v1/identities/{id}/resume", kAuth, kBlock,
              transition(inventory::LifecycleAction::kResume)});
  router.Add({"POST", "/v1/identities/{id}/revoke", kAuth, kBlock,
              transition(inventory::LifecycleAction::kRevoke)});
}

}  // namespace warden::api
