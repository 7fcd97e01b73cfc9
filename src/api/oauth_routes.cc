#include "api/oauth_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "http/oauth_form.h"

namespace warden::api {
namespace {

using ServerRef = const std::unique_ptr<oauth::AuthorizationServer>&;

constexpr char kClientCredentialsGrant[] = "client_credentials";
constexpr char kTokenExchangeGrant[] =
    "urn:ietf:params:oauth:grant-type:token-exchange";

// RFC 6749 section 5.1: token responses must not be cached.
void NoStore(ApiResponse& response) {
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Pragma", "no-cache");
}

int OAuthHttpStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
      return 503;
    default:
      return 400;
  }
}

std::string OAuthErrorCode(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
      return "temporarily_unavailable";
    case StatusCode::kPermissionDenied:
      return "access_denied";
    case StatusCode::kResourceExhausted:
      return "rate_limited";
    default:
      break;
  }
  std::string problem = status.problem();
  if (problem == "invalid_client" || problem == "invalid_scope" ||
      problem == "unauthorized_client" || problem == "invalid_request" ||
      problem == "unsupported_grant_type" || problem == "invalid_target" ||
      problem == "invalid_grant" || problem == "rate_limited") {
    return problem;
  }
  return status.code() == StatusCode::kUnauthenticated ? "invalid_client"
                                                       : "invalid_request";
}

// RFC 6749 section 5.2 error response.
ApiResponse OAuthErrorResponse(const Status& status) {
  boost::json::object body;
  body["error"] = OAuthErrorCode(status);
  if (status.code() != StatusCode::kInternal) {
    body["error_description"] = status.message();
  }
  ApiResponse response = JsonResponse(body, OAuthHttpStatus(status));
  if (response.status == 401) {
    response.headers.emplace_back(
        "WWW-Authenticate",
        "Basic realm=\"warden\", error=\"" + OAuthErrorCode(status) + "\"");
  }
  if (status.retry_after().count() > 0) {
    response.headers.emplace_back("Retry-After",
                                  std::to_string(status.retry_after().count()));
  }
  NoStore(response);
  return response;
}

// The form of an OAuth endpoint, every caller-supplied value within its
// cap (oauth_form.h) before anything reads it.
Result<OAuthForm> ReadForm(const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(OAuthForm form, ParseOAuthForm(request.body));
  WARDEN_RETURN_IF_ERROR(CheckParameterLengths(form, oauth::kMaxClientIdBytes));
  return form;
}

Status NotReady() { return Unavailable("the OAuth server is starting"); }

// Client authentication from Basic, the form, a client assertion, or the
// TLS client certificate (RFC 8705: client_id in the form, no secret).
Result<oauth::ClientPresentation> ReadClient(const ApiRequest& request,
                                             const OAuthForm& form) {
  oauth::ClientPresentation client;
  WARDEN_ASSIGN_OR_RETURN(std::optional<BasicCredentials> basic,
                          ParseBasicAuthorization(request.authorization));
  std::optional<std::string> form_id = FormValue(form, "client_id");
  std::optional<std::string> form_secret = FormValue(form, "client_secret");
  std::optional<std::string> assertion = FormValue(form, "client_assertion");
  const int methods =
      (basic ? 1 : 0) + (form_secret ? 1 : 0) + (assertion ? 1 : 0);
  if (methods > 1) {
    return Status(StatusCode::kInvalidArgument,
                  "more than one client authentication method",
                  "invalid_request");
  }
  client.remote = request.remote;
  client.request_id = request.request_id;
  client.certificate = request.client_certificate;
  if (basic) {
    if (basic->client_id.size() > oauth::kMaxClientIdBytes) {
      return Status(StatusCode::kInvalidArgument,
                    "client_id exceeds " +
                        std::to_string(oauth::kMaxClientIdBytes) + " bytes",
                    "invalid_request");
    }
    client.client_id = basic->client_id;
    client.client_secret = std::move(basic->client_secret);
    client.auth_method = "client_secret_basic";
    return client;
  }
  client.client_id = form_id.value_or("");
  if (assertion) {
    if (FormValue(form, "client_assertion_type") !=
        std::string(tokens::kJwtBearerClientAssertionType)) {
      return Status(StatusCode::kInvalidArgument,
                    "client_assertion_type must be " +
                        std::string(tokens::kJwtBearerClientAssertionType),
                    "invalid_request");
    }
    client.client_assertion = std::move(assertion);
    client.auth_method = "private_key_jwt";
  } else if (form_secret) {
    client.client_secret = std::move(form_secret);
    client.auth_method = "client_secret_post";
  } else {
    client.auth_method = "none";
  }
  return client;
}

Result<std::optional<std::chrono::seconds>> ReadLifetime(
    const OAuthForm& form) {
  std::optional<std::string> text = FormValue(form, "expires_in");
  if (!text) return std::optional<std::chrono::seconds>();
  int64_t seconds = 0;
  if (text->size() > 9) seconds = -1;
  for (char c : *text) {
    if (c < '0' || c > '9') seconds = -1;
    if (seconds >= 0) seconds = seconds * 10 + (c - '0');
  }
  if (seconds <= 0) {
    return Status(StatusCode::kInvalidArgument,
                  "expires_in must be a positive number of seconds",
                  "invalid_request");
  }
  return std::optional<std::chrono::seconds>(std::chrono::seconds(seconds));
}

Result<oauth::ClientCredentialsRequest> ReadTokenRequest(
    const ApiRequest& request, const OAuthForm& form) {
  oauth::ClientCredentialsRequest out;
  WARDEN_ASSIGN_OR_RETURN(out.client, ReadClient(request, form));
  auto scope = form.find("scope");
  if (scope != form.end()) out.scope = scope->second;
  out.tenant = FormValue(form, "tenant");
  out.audience = FormValue(form, "audience");
  if (!out.audience) out.audience = FormValue(form, "resource");
  WARDEN_ASSIGN_OR_RETURN(out.requested_lifetime, ReadLifetime(form));
  out.remote = request.remote;
  out.user_agent = request.user_agent;
  out.request_id = request.request_id;
  return out;
}

ApiResponse TokenResponse(const oauth::TokenGrant& grant) {
  boost::json::object body;
  body["access_token"] = grant.access_token;
  body["token_type"] = "Bearer";
  body["expires_in"] = grant.expires_in.count();
  body["scope"] = grant.scope;
  if (grant.tenant) body["tenant"] = *grant.tenant;
  if (!grant.issued_token_type.empty()) {
    body["issued_token_type"] = grant.issued_token_type;
  }
  ApiResponse response = JsonResponse(body);
  NoStore(response);
  return response;
}

ApiResponse OutcomeResponse(const oauth::TokenOutcome& outcome) {
  if (outcome.status.ok()) return TokenResponse(outcome.grant);
  if (outcome.status.retry_after().count() == 0 &&
      outcome.retry_after.count() > 0) {
    return OAuthErrorResponse(
        outcome.status.WithRetryAfter(outcome.retry_after));
  }
  return OAuthErrorResponse(outcome.status);
}

// RFC 8693 section 2.1.
ApiResponse HandleExchange(oauth::AuthorizationServer& server,
                           const ApiRequest& request, const OAuthForm& form) {
  oauth::TokenExchangeRequest exchange;
  std::optional<std::string> subject = FormValue(form, "subject_token");
  std::optional<std::string> type = FormValue(form, "subject_token_type");
  if (!subject || !type) {
    return OAuthErrorResponse(
        Status(StatusCode::kInvalidArgument,
               "subject_token and subject_token_type are required",
               "invalid_request"));
  }
  if (FormValue(form, "actor_token")) {
    return OAuthErrorResponse(Status(StatusCode::kInvalidArgument,
                                     "actor_token is not supported",
                                     "invalid_request"));
  }
  exchange.subject_token = std::move(*subject);
  exchange.subject_token_type = std::move(*type);
  auto scope = form.find("scope");
  if (scope != form.end()) exchange.scope = scope->second;
  exchange.audience = FormValue(form, "audience");
  if (!exchange.audience) exchange.audience = FormValue(form, "resource");
  Result<std::optional<std::chrono::seconds>> lifetime = ReadLifetime(form);
  if (!lifetime.ok()) return OAuthErrorResponse(lifetime.status());
  exchange.requested_lifetime = *lifetime;
  exchange.remote = request.remote;
  exchange.user_agent = request.user_agent;
  exchange.certificate = request.client_certificate;
  exchange.request_id = request.request_id;
  // The subject token is the credential here: a refused one counts against
  // the source's failure budget like a bad client secret.
  AuthFailureThrottle* throttle = server.throttle();
  if (throttle != nullptr) {
    Status admitted = throttle->Admit("oauth.token.exchange", request.remote,
                                      request.request_id);
    if (!admitted.ok()) return OAuthErrorResponse(admitted);
  }
  oauth::TokenOutcome outcome = server.issuance().Exchange(exchange);
  if (throttle != nullptr && !outcome.status.ok() &&
      outcome.status.code() != StatusCode::kUnavailable) {
    throttle->NoteFailure(request.remote);
  }
  return OutcomeResponse(outcome);
}

// Every answer but a client_credentials grant is decided on this thread;
// a grant is answered from the store's writer once its audit record is
// durable (TokenIssuance::ClientCredentialsAsync). On the I/O thread
// (!request.may_block) what would block (a token exchange, a client that
// is not cached, a refusal to audit) answers NeedsWorker().
void HandleToken(oauth::AuthorizationServer& server, const ApiRequest& request,
                 const RouteResponder& respond) {
  Result<OAuthForm> form = ReadForm(request);
  if (!form.ok()) return respond(OAuthErrorResponse(form.status()));
  std::optional<std::string> grant = FormValue(*form, "grant_type");
  if (!grant) {
    return respond(OAuthErrorResponse(Status(StatusCode::kInvalidArgument,
                                             "grant_type is required",
                                             "invalid_request")));
  }
  if (*grant == kTokenExchangeGrant) {
    if (!request.may_block) return respond(NeedsWorker());
    return respond(HandleExchange(server, request, *form));
  }
  if (*grant != kClientCredentialsGrant) {
    return respond(OAuthErrorResponse(
        Status(StatusCode::kInvalidArgument,
               "grant_type '" + *grant + "' is not supported",
               "unsupported_grant_type")));
  }
  Result<oauth::ClientCredentialsRequest> token_request =
      ReadTokenRequest(request, *form);
  if (!token_request.ok()) {
    return respond(OAuthErrorResponse(token_request.status()));
  }
  token_request->may_block = request.may_block;
  server.issuance().ClientCredentialsAsync(
      *token_request, [respond](oauth::TokenOutcome outcome) {
        if (outcome.needs_blocking) return respond(NeedsWorker());
        respond(OutcomeResponse(outcome));
      });
}

// Who may introspect or revoke: an OAuth client, or a Warden API token of
// an admin or security principal. Returns the client id ("" for a Warden
// principal) and fills `caller`. Refusals are audited (`action`) like
// every other authentication and authorization decision.
Result<std::string> AuthenticateProtectedResource(
    oauth::AuthorizationServer& server, inventory::AccessService& access,
    Auditor& auditor, std::string_view action, const ApiRequest& request,
    const OAuthForm& form, Caller* caller) {
  caller->request_id = request.request_id;
  caller->remote = request.remote;
  constexpr std::string_view kBearer = "Bearer ";
  if (std::string_view(request.authorization).substr(0, kBearer.size()) ==
      kBearer) {
    AuthFailureThrottle* throttle = server.throttle();
    if (throttle != nullptr) {
      WARDEN_RETURN_IF_ERROR(
          throttle->Admit(action, request.remote, request.request_id));
    }
    Result<Principal> principal =
        access.Authenticate(request.authorization.substr(kBearer.size()),
                            request.remote, request.request_id);
    if (throttle != nullptr &&
        principal.status().code() == StatusCode::kUnauthenticated) {
      throttle->NoteFailure(request.remote);
    }
    if (!principal.ok()) return principal.status();
    caller->principal = std::move(principal).value();
    const Role role = caller->principal.role;
    if (role != Role::kAdmin && role != Role::kSecurity) {
      return auditor.Deny(
          *caller, action, "oauth",
          {false, "introspection needs an admin or security role"});
    }
    return std::string();
  }
  WARDEN_ASSIGN_OR_RETURN(oauth::ClientPresentation presented,
                          ReadClient(request, form));
  Result<oauth::AuthenticatedClient> client =
      server.clients().Authenticate(presented);
  // Throttled (summarised by the throttle) or an over-long client_id
  // (refused before use): no record of their own.
  if (AuthFailureThrottle::IsThrottled(client.status()) ||
      client.status().code() == StatusCode::kInvalidArgument) {
    return client.status();
  }
  if (!client.ok()) {
    caller->principal.subject =
        presented.client_id.empty()
            ? std::string("anonymous")
            : "client:" +
                  presented.client_id.substr(0, oauth::kMaxClientIdBytes);
    return auditor.Failed(*caller, action, "oauth", client.status(),
                          {{"auth_method", presented.auth_method}});
  }
  caller->principal.subject = "client:" + client->identity.id;
  caller->principal.role = Role::kSdk;
  return client->identity.id;
}

// A request to a protected resource endpoint (RFC 7662 section 2.1,
// RFC 7009 section 2.1): who asks and the token it asks about.
struct TokenQuery {
  Caller caller;
  std::string client_id;  // "" for a Warden principal
  std::string token;
};

// Reads the form, authenticates the asker (audited as `action`) and reads
// the required "token" parameter.
Result<TokenQuery> ReadTokenQuery(oauth::AuthorizationServer& server,
                                  inventory::AccessService& access,
                                  Auditor& auditor, std::string_view action,
                                  const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(OAuthForm form, ReadForm(request));
  TokenQuery query;
  WARDEN_ASSIGN_OR_RETURN(query.client_id, AuthenticateProtectedResource(
                                               server, access, auditor, action,
                                               request, form, &query.caller));
  std::optional<std::string> token = FormValue(form, "token");
  if (!token) {
    return Status(StatusCode::kInvalidArgument, "token is required",
                  "invalid_request");
  }
  query.token = std::move(*token);
  return query;
}

ApiResponse HandleIntrospect(oauth::AuthorizationServer& server,
                             inventory::AccessService& access, Auditor& auditor,
                             const ApiRequest& request) {
  Result<TokenQuery> query = ReadTokenQuery(server, access, auditor,
                                            "oauth.token.introspect", request);
  if (!query.ok()) return OAuthErrorResponse(query.status());
  ApiResponse response =
      JsonResponse(server.revocation().Introspect(query->caller, query->token));
  NoStore(response);
  return response;
}

ApiResponse HandleRevoke(oauth::AuthorizationServer& server,
                         inventory::AccessService& access, Auditor& auditor,
                         const ApiRequest& request) {
  Result<TokenQuery> query =
      ReadTokenQuery(server, access, auditor, "oauth.token.revoke", request);
  if (!query.ok()) return OAuthErrorResponse(query.status());
  Status revoked =
      server.revocation().Revoke(query->caller, query->client_id, query->token);
  if (!revoked.ok()) return OAuthErrorResponse(revoked);
  ApiResponse response;
  response.body = "";
  NoStore(response);
  return response;
}

boost::json::array Strings(std::initializer_list<const char*> items) {
  boost::json::array array;
  for (const char* item : items) array.emplace_back(item);
  return array;
}

// RFC 8414 section 2.
boost::json::object Metadata(const oauth::AuthorizationServer& server) {
  boost::json::object m;
  m["issuer"] = server.issuer();
  m["token_endpoint"] = server.endpoint("/oauth/token");
  m["jwks_uri"] = server.endpoint("/oauth/jwks");
  m["introspection_endpoint"] = server.endpoint("/oauth/introspect");
  m["revocation_endpoint"] = server.endpoint("/oauth/revoke");
  m["grant_types_supported"] =
      Strings({kClientCredentialsGrant, kTokenExchangeGrant});
  m["response_types_supported"] = boost::json::array();
  boost::json::array methods =
      Strings({"client_secret_basic", "client_secret_post", "private_key_jwt"});
  // RFC 8705 section 2.3 and 3.3.
  const oauth::AuthorizationServerOptions& options = server.options();
  if (options.tls_client_auth) methods.emplace_back(kTlsClientAuthMethod);
  if (options.self_signed_tls_client_auth) {
    methods.emplace_back(kSelfSignedTlsClientAuthMethod);
  }
  m["tls_client_certificate_bound_access_tokens"] =
      options.tls_client_auth || options.self_signed_tls_client_auth;
  const auto algs = Strings({"EdDSA", "Ed25519", "ES256"});
  m["token_endpoint_auth_methods_supported"] = methods;
  m["token_endpoint_auth_signing_alg_values_supported"] = algs;
  m["introspection_endpoint_auth_methods_supported"] = methods;
  m["introspection_endpoint_auth_signing_alg_values_supported"] = algs;
  m["revocation_endpoint_auth_methods_supported"] = methods;
  m["revocation_endpoint_auth_signing_alg_values_supported"] = algs;
  m["access_token_signing_alg_values_supported"] = Strings({"EdDSA", "ES256"});
  return m;
}

void AddPublicOAuthRoutes(Router& router, ServerRef server,
                          inventory::AccessService& access, Auditor& auditor) {
  Route token;
  token.method = "POST";
  token.pattern = "/oauth/token";
  token.access = RouteAccess::kPublic;
  token.cost = RouteCost::kAsyncInlineFirst;
  token.async_handler = [&server](const ApiRequest& request,
                                  RouteResponder respond) {
    if (!server) return respond(NotReady());
    HandleToken(*server, request, respond);
  };
  router.Add(std::move(token));
  router.Add({"POST", "/oauth/introspect", RouteAccess::kPublic,
              RouteCost::kBlocking,
              [&server, &access,
               &auditor](const ApiRequest& request) -> Result<ApiResponse> {
                if (!server) return NotReady();
                return HandleIntrospect(*server, access, auditor, request);
              }});
  router.Add({"POST", "/oauth/revoke", RouteAccess::kPublic,
              RouteCost::kBlocking,
              [&server, &access,
               &auditor](const ApiRequest& request) -> Result<ApiResponse> {
                if (!server) return NotReady();
                return HandleRevoke(*server, access, auditor, request);
              }});
  router.Add({"GET", "/oauth/jwks", RouteAccess::kPublic, RouteCost::kInline,
              [&server](const ApiRequest&) -> Result<ApiResponse> {
                if (!server) return NotReady();
                ApiResponse response;
                response.content_type = "application/jwk-set+json";
                response.body = server->keys().ring().Published()->jwks_json;
                response.headers.emplace_back("Cache-Control",
                                              "public, max-age=60");
                return response;
              }});
  router.Add({"GET", "/.well-known/oauth-authorization-server",
              RouteAccess::kPublic, RouteCost::kInline,
              [&server](const ApiRequest&) -> Result<ApiResponse> {
                if (!server) return NotReady();
                return JsonResponse(Metadata(*server));
              }});
}

}  // namespace

void AddOAuthRoutes(Router& router, ServerRef server,
                    inventory::AccessService& access, Auditor& auditor) {
  AddPublicOAuthRoutes(router, server, access, auditor);
  AddOAuthAdminRoutes(router, server, auditor);
}

}  // namespace warden::api
