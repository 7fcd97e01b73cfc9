// Routes of console single sign-on (OpenID Connect Core 1.0 section 3.1).
#include "api/oidc_routes.h"

#include <boost/json/object.hpp>

#include "core/principal.h"
#include "http/api_exchange.h"

namespace warden::api {
namespace {

constexpr char kDefaultReturnTo[] = "/ui/";
constexpr char kSignInAction[] = "session.create";
// Provider error codes are short ASCII tokens (RFC 6749 section 4.1.2.1).
constexpr size_t kMaxProviderError = 64;

ApiResponse Redirect(std::string location) {
  ApiResponse response;
  response.status = 302;
  response.content_type = "text/plain";
  response.headers.emplace_back("Location", std::move(location));
  // The answer is one browser's: never cached, and the callback's URL
  // (code, state) never sent on as a Referer.
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  return response;
}

Caller Anonymous(const ApiRequest& request) {
  Caller caller;
  caller.principal.subject = kAnonymousSubject;
  caller.remote = request.remote;
  caller.request_id = request.request_id;
  return caller;
}

std::string Target(const signin::OidcRelyingParty& rp) {
  return "oidc:" + rp.options().issuer;
}

// Records the refusal and sends the browser to the sign-in page with it. A
// failure to record is the answer instead (503: nothing unaudited).
Result<ApiResponse> RefuseCallback(const OidcRouteDeps& deps,
                                   const ApiRequest& request,
                                   const Status& refusal) {
  if (deps.throttle != nullptr) deps.throttle->NoteFailure(request.remote);
  const Status recorded = deps.auditor.Failed(Anonymous(request), kSignInAction,
                                              Target(*deps.relying_party),
                                              refusal, {{"method", "oidc"}});
  if (recorded.problem() != refusal.problem()) return recorded;
  return Redirect(SignInErrorLocation(refusal.problem()));
}

Status ProviderError(std::string_view error) {
  std::string code;
  for (char c : error.substr(0, kMaxProviderError)) {
    if ((c >= 'a' && c <= 'z') || c == '_') code += c;
  }
  return Status(StatusCode::kUnauthenticated,
                "the provider answered error \"" + code + "\"",
                "oidc-provider-error");
}

Result<ApiResponse> Callback(const OidcRouteDeps& deps,
                             const ApiRequest& request) {
  signin::OidcRelyingParty& rp = *deps.relying_party;
  if (deps.throttle != nullptr) {
    WARDEN_RETURN_IF_ERROR(deps.throttle->Admit(kSignInAction, request.remote,
                                                request.request_id));
  }
  if (auto error = QueryParameter(request, "error")) {
    return RefuseCallback(deps, request, ProviderError(*error));
  }
  // RFC 9207 section 2.4: an "iss" in the authorization response must be
  // our provider's (a mix-up defence; providers that omit it are fine).
  if (auto iss = QueryParameter(request, "iss");
      iss && *iss != rp.options().issuer) {
    return RefuseCallback(
        deps, request,
        Status(StatusCode::kUnauthenticated,
               "the authorization response names another issuer",
               "oidc-issuer-mismatch"));
  }
  const std::string_view code =
      QueryParameter(request, "code").value_or(std::string_view());
  const std::string_view state =
      QueryParameter(request, "state").value_or(std::string_view());
  Result<signin::OidcIdentity> identity = rp.Finish(code, state);
  if (!identity.ok()) {
    if (identity.status().code() == StatusCode::kInternal) {
      return identity.status();
    }
    return RefuseCallback(deps, request, identity.status());
  }
  signin::FederatedSignIn who;
  who.user = identity->user;
  who.email = identity->email;
  who.role = identity->role;
  who.issuer = identity->issuer;
  who.subject = identity->subject;
  // SignInFederated audits its own outcome, refusals included.
  Result<signin::SignedIn> signed_in = deps.sign_in.SignInFederated(
      who, {request.remote, request.user_agent, request.request_id});
  if (!signed_in.ok()) {
    if (signed_in.status().code() != StatusCode::kUnauthenticated) {
      return signed_in.status();
    }
    return Redirect(SignInErrorLocation(signed_in.status().problem()));
  }
  ApiResponse response = Redirect(identity->return_to);
  response.headers.emplace_back(
      "Set-Cookie",
      signin::SessionCookieHeader(*signed_in, deps.secure_cookie));
  return response;
}

Result<ApiResponse> Start(const OidcRouteDeps& deps,
                          const ApiRequest& request) {
  const std::string_view return_to =
      QueryParameter(request, "return_to").value_or(kDefaultReturnTo);
  Result<std::string> url = deps.relying_party->Begin(return_to);
  if (!url.ok()) {
    return deps.auditor.Failed(Anonymous(request), "session.oidc_start",
                               Target(*deps.relying_party), url.status(),
                               {{"method", "oidc"}});
  }
  return Redirect(std::move(*url));
}

Status Disabled() {
  return Status(StatusCode::kNotFound,
                "single sign-on is not configured (warden serve --oidc-issuer)",
                "oidc-disabled");
}

}  // namespace

std::string SignInErrorLocation(std::string_view problem) {
  std::string slug;
  for (char c : problem.substr(0, 64)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      slug += c;
    }
  }
  return "/ui/#/signin?error=" + (slug.empty() ? std::string("oidc") : slug);
}

void AddOidcRoutes(Router& router, OidcRouteDeps deps) {
  router.Add({"GET", "/v1/session/oidc", RouteAccess::kPublic,
              RouteCost::kInline,
              [deps](const ApiRequest&) -> Result<ApiResponse> {
                const auto& rp = deps.relying_party;
                boost::json::object body{{"enabled", rp != nullptr}};
                body["issuer"] = rp ? boost::json::value(rp->options().issuer)
                                    : boost::json::value(nullptr);
                return JsonResponse(body);
              }});
  router.Add({"GET", "/v1/session/oidc/start", RouteAccess::kPublic,
              RouteCost::kBlocking,
              [deps](const ApiRequest& request) -> Result<ApiResponse> {
                if (!deps.relying_party) return Disabled();
                return Start(deps, request);
              }});
  router.Add({"GET", "/v1/session/oidc/callback", RouteAccess::kPublic,
              RouteCost::kBlocking,
              [deps](const ApiRequest& request) -> Result<ApiResponse> {
                if (!deps.relying_party) return Disabled();
                return Callback(deps, request);
              }});
}

}  // namespace warden::api
