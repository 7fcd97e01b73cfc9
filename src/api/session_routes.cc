#include "api/session_routes.h"

#include "api/route_glue.h"
#include "core/time_format.h"
#include "http/cookie.h"
#include "http/json_reader.h"
#include "http/query_reader.h"
#include "signin/session_secret.h"

namespace warden::api {
namespace {

namespace json = boost::json;

constexpr char kSessionTokenPrefix[] = "session:";

bool IsSessionCaller(const ApiRequest& request) {
  return request.caller.principal.token_id.starts_with(kSessionTokenPrefix);
}

std::string_view SessionCookie(const ApiRequest& request) {
  return FindCookie(request.cookie, signin::kSessionCookieName);
}

class SessionHandlers {
 public:
  explicit SessionHandlers(const SessionServices& services)
      : services_(services) {}

  Result<ApiResponse> SignIn(const ApiRequest& request) const {
    WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
    signin::PasswordSignIn attempt;
    JsonObjectReader reader(body);
    reader.String("user", &attempt.user, Presence::kRequired);
    reader.String("password", &attempt.password, Presence::kRequired);
    reader.String("totp", &attempt.totp);
    WARDEN_RETURN_IF_ERROR(reader.Finish());
    WARDEN_ASSIGN_OR_RETURN(
        signin::SignedIn signed_in,
        services_.sign_in.SignInWithPassword(
            attempt, {request.remote, request.user_agent, request.request_id}));
    ApiResponse response = JsonResponse(SignedInJson(signed_in), 201);
    response.headers.emplace_back(
        "Set-Cookie",
        signin::SessionCookieHeader(signed_in, services_.secure_cookies));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  // A bearer caller gets who it is, without a CSRF token (it needs none).
  Result<ApiResponse> Describe(const ApiRequest& request) const {
    WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
    if (!IsSessionCaller(request)) {
      const Principal& principal = request.caller.principal;
      return JsonResponse(json::object{
          {"user", principal.user.empty() ? principal.subject : principal.user},
          {"role", Name(principal.role)},
          {"team", principal.team},
          {"method", "token"}});
    }
    WARDEN_ASSIGN_OR_RETURN(signin::SignedIn session,
                            services_.sign_in.Describe(SessionCookie(request)));
    ApiResponse response = JsonResponse(SignedInJson(session));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  Result<ApiResponse> SignOut(const ApiRequest& request) const {
    if (!IsSessionCaller(request)) {
      return InvalidArgument(
          "this request is not authenticated by a console session; revoke "
          "API tokens with POST /v1/tokens/{id}/revoke",
          "not-a-session");
    }
    WARDEN_RETURN_IF_ERROR(
        services_.sign_in.SignOut(request.caller, SessionCookie(request)));
    ApiResponse response = NoContent();
    response.headers.emplace_back(
        "Set-Cookie",
        signin::ClearedSessionCookieHeader(services_.secure_cookies));
    return response;
  }

  Result<ApiResponse> SetPassword(const ApiRequest& request) const {
    WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
    std::string password;
    JsonObjectReader reader(body);
    reader.String("password", &password, Presence::kRequired);
    WARDEN_RETURN_IF_ERROR(reader.Finish());
    WARDEN_RETURN_IF_ERROR(services_.credentials.SetPassword(
        request.caller, PathParam(request, "name"), password));
    return NoContent();
  }

  Result<ApiResponse> EnrollTotp(const ApiRequest& request) const {
    WARDEN_RETURN_IF_ERROR(JsonBodyOrEmpty(request).status());
    WARDEN_ASSIGN_OR_RETURN(signin::TotpEnrollment enrollment,
                            services_.credentials.EnrollTotp(
                                request.caller, PathParam(request, "name")));
    ApiResponse response =
        JsonResponse(json::object{{"secret", enrollment.secret},
                                  {"otpauth_uri", enrollment.otpauth_uri}},
                     201);
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

  Result<ApiResponse> RemoveTotp(const ApiRequest& request) const {
    WARDEN_RETURN_IF_ERROR(services_.credentials.RemoveTotp(
        request.caller, PathParam(request, "name")));
    return NoContent();
  }

 private:
  const SessionServices services_;
};

}  // namespace

json::object SignedInJson(const signin::SignedIn& signed_in) {
  return json::object{
      {"user", signed_in.user.name},
      {"email", signed_in.user.email},
      {"role", Name(signed_in.user.role)},
      {"team", signed_in.user.team},
      {"method", signed_in.method},
      {"csrf_token", signed_in.csrf_token},
      {"expires_at", FormatRfc3339(signed_in.expires_at)},
      {"idle_expires_at", FormatRfc3339(signed_in.idle_expires_at)}};
}

void AddSessionRoutes(Router& router, const SessionServices& services) {
  auto handlers = std::make_shared<SessionHandlers>(services);
  auto bind = [handlers](auto method) -> RouteHandler {
    return [handlers, method](const ApiRequest& request) {
      return ((*handlers).*method)(request);
    };
  };
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  // Signing in checks a password: Argon2id runs on the worker pool.
  router.Add({"POST", "/v1/session", RouteAccess::kPublic, kBlock,
              bind(&SessionHandlers::SignIn)});
  router.Add(
      {"GET", "/v1/session", kAuth, kBlock, bind(&SessionHandlers::Describe)});
  router.Add({"DELETE", "/v1/session", kAuth, kBlock,
              bind(&SessionHandlers::SignOut)});
  router.Add({"PUT", "/v1/users/{name}/password", kAuth, kBlock,
              bind(&SessionHandlers::SetPassword)});
  router.Add({"POST", "/v1/users/{name}/totp", kAuth, kBlock,
              bind(&SessionHandlers::EnrollTotp)});
  router.Add({"DELETE", "/v1/users/{name}/totp", kAuth, kBlock,
              bind(&SessionHandlers::RemoveTotp)});
}

}  // namespace warden::api
