// The /v1 administration routes of the OAuth server (see oauth_routes.h):
// client credential registration, gating flags, trusted issuers and
// signing key rotation. Authenticated with Warden API tokens; errors are
// problem+json like every /v1 route.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/oauth_routes.h"
#include "api/route_glue.h"
#include "core/time_format.h"
#include "http/json_reader.h"
#include "oauth/certificate_client_auth.h"

namespace warden::api {
namespace {

using ServerRef = const std::unique_ptr<oauth::AuthorizationServer>&;

Status NotReady() { return Unavailable("the OAuth server is starting"); }

// The {id} of these routes is an identity id: capped before it becomes an
// audit target (a request target may be 8 KiB).
Status CheckIdentityParam(const ApiRequest& request) {
  auto it = request.path_params.find("id");
  if (it == request.path_params.end() ||
      it->second.size() <= oauth::kMaxClientIdBytes) {
    return Status::Ok();
  }
  return InvalidArgument(
      "id: exceeds " + std::to_string(oauth::kMaxClientIdBytes) + " bytes",
      "invalid-value");
}

Result<oauth::CredentialRequest> ReadCredentialRequest(std::string_view body) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object object, ParseJsonObject(body));
  oauth::CredentialRequest request;
  if (const boost::json::value* jwks = object.if_contains("jwks")) {
    request.jwks = jwks->is_string() ? std::string(jwks->get_string())
                                     : boost::json::serialize(*jwks);
    object.erase("jwks");
  }
  JsonObjectReader reader(object);
  reader.String("method", &request.method, Presence::kRequired);
  std::optional<int64_t> overlap;
  reader.Int("overlap_seconds", &overlap);
  // tls_client_auth: exactly one of the RFC 8705 section 2.1.2 names.
  for (std::string_view field : oauth::kTlsClientAuthFields) {
    std::optional<std::string> value;
    reader.String(field, &value);
    if (!value) continue;
    if (!request.certificate_field.empty()) {
      return InvalidArgument("give exactly one tls_client_auth_* field",
                             "validation-failed");
    }
    request.certificate_field = std::string(field);
    request.certificate_value = std::move(*value);
  }
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  const bool certificate_method = request.method == kTlsClientAuthMethod;
  if (certificate_method == request.certificate_field.empty()) {
    return InvalidArgument(
        certificate_method
            ? "tls_client_auth needs one tls_client_auth_* field"
            : "tls_client_auth_* fields go with method tls_client_auth",
        "validation-failed");
  }
  if (overlap) request.overlap = std::chrono::seconds(*overlap);
  return request;
}

boost::json::object CredentialJson(const oauth::IssuedCredential& issued) {
  boost::json::object body;
  body["client_id"] = issued.client_id;
  body["method"] = issued.method;
  if (!issued.client_secret.empty()) {
    body["client_secret"] = issued.client_secret;
  }
  if (issued.previous_valid_until) {
    body["previous_secret_valid_until_us"] =
        ToMicros(*issued.previous_valid_until);
  }
  return body;
}

Result<ApiResponse> HandleCredentials(oauth::AuthorizationServer& server,
                                      const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(oauth::CredentialRequest credential,
                          ReadCredentialRequest(request.body));
  WARDEN_ASSIGN_OR_RETURN(
      oauth::IssuedCredential issued,
      server.clients().Register(request.caller, PathParam(request, "id"),
                                credential));
  ApiResponse response = JsonResponse(CredentialJson(issued), 201);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<ApiResponse> HandleSetGatingFlags(oauth::AuthorizationServer& server,
                                         const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object object,
                          ParseJsonObject(request.body));
  JsonObjectReader reader(object);
  std::vector<std::string> flags;
  reader.StringArray("flags", &flags, Presence::kRequired);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_RETURN_IF_ERROR(server.identity_policy().SetGatingFlags(
      request.caller, PathParam(request, "id"), flags));
  return JsonResponse(object);
}

Result<ApiResponse> HandleGetGatingFlags(oauth::AuthorizationServer& server,
                                         const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> flags,
                          server.identity_policy().GetGatingFlags(
                              request.caller, PathParam(request, "id")));
  boost::json::array array;
  for (const std::string& flag : flags) array.emplace_back(flag);
  return JsonResponse(boost::json::object{{"flags", std::move(array)}});
}

Result<ApiResponse> HandleScopesUsed(oauth::AuthorizationServer& server,
                                     const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<ScopeUsageRecord> usage,
                          server.identity_policy().ScopesUsed(
                              request.caller, PathParam(request, "id")));
  return ItemsResponse(usage, [](const ScopeUsageRecord& record) {
    return boost::json::object{
        {"scope", record.scope},
        {"last_used_at", FormatRfc3339(record.last_used_at)}};
  });
}

Result<ApiResponse> HandleRotate(oauth::AuthorizationServer& server,
                                 Auditor& auditor, const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object object, JsonBodyOrEmpty(request));
  JsonObjectReader reader(object);
  bool emergency = false;
  reader.Bool("emergency", &emergency);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_RETURN_IF_ERROR(
      server.keys().Rotate(request.caller, auditor, emergency));
  ApiResponse response;
  response.body = server.keys().ring().Published()->jwks_json;
  return response;
}

Result<ApiResponse> HandleSetTrustedIssuers(oauth::AuthorizationServer& server,
                                            const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(
      server.trusted_issuers().Set(request.caller, request.body));
  ApiResponse response;
  response.body = request.body;
  return response;
}

Result<ApiResponse> HandleGetTrustedIssuers(oauth::AuthorizationServer& server,
                                            const ApiRequest& request) {
  ApiResponse response;
  WARDEN_ASSIGN_OR_RETURN(response.body,
                          server.trusted_issuers().Get(request.caller));
  return response;
}

}  // namespace

void AddOAuthAdminRoutes(Router& router, ServerRef server, Auditor& auditor) {
  auto route = [&server](auto handler) {
    return
        [&server, handler](const ApiRequest& request) -> Result<ApiResponse> {
          if (!server) return NotReady();
          WARDEN_RETURN_IF_ERROR(CheckIdentityParam(request));
          return handler(*server, request);
        };
  };
  router.Add({"POST", "/v1/identities/{id}/credentials",
              RouteAccess::kAuthenticated, RouteCost::kBlocking,
              route(&HandleCredentials)});
  router.Add({"PUT", "/v1/identities/{id}/gating-flags",
              RouteAccess::kAuthenticated, RouteCost::kBlocking,
              route(&HandleSetGatingFlags)});
  router.Add({"GET", "/v1/identities/{id}/gating-flags",
              RouteAccess::kAuthenticated, RouteCost::kBlocking,
              route(&HandleGetGatingFlags)});
  router.Add({"GET", "/v1/identities/{id}/scopes-used",
              RouteAccess::kAuthenticated, RouteCost::kBlocking,
              route(&HandleScopesUsed)});
  router.Add({"PUT", "/v1/oauth/trusted-issuers", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, route(&HandleSetTrustedIssuers)});
  router.Add({"GET", "/v1/oauth/trusted-issuers", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, route(&HandleGetTrustedIssuers)});
  router.Add({"POST", "/v1/oauth/keys/rotate", RouteAccess::kAuthenticated,
              RouteCost::kBlocking,
              route([&auditor](oauth::AuthorizationServer& s,
                               const ApiRequest& request) {
                return HandleRotate(s, auditor, request);
              })});
}

}  // namespace warden::api
