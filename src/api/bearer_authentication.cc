#include "api/bearer_authentication.h"

#include "http/cookie.h"
#include "signin/session_secret.h"

namespace warden::api {

bool BearerAuthentication::IsWorkloadToken(std::string_view token) const {
  return workloads_ != nullptr &&
         oauth::WorkloadAuthenticator::LooksLikeAccessToken(token);
}

Result<Principal> BearerAuthentication::AuthenticateApiToken(
    std::string_view token, std::string_view remote,
    std::string_view request_id) {
  return access_.Authenticate(token, remote, request_id);
}

std::optional<Principal> BearerAuthentication::CachedApiToken(
    std::string_view token) {
  return access_.CachedAuthentication(token);
}

Result<Principal> BearerAuthentication::AuthenticateWorkload(
    std::string_view token, std::string_view certificate_thumbprint,
    std::string_view remote, std::string_view request_id) {
  return workloads_->Authenticate(token, remote, request_id,
                                  certificate_thumbprint);
}

Status BearerAuthentication::RefuseWorkload(const Caller& caller,
                                            std::string_view method,
                                            std::string_view route) {
  return workloads_->Refuse(caller, method, route);
}

Result<Principal> BearerAuthentication::AuthenticateSession(
    std::string_view cookie_header, std::string_view csrf_token,
    bool changes_state, std::string_view remote, std::string_view request_id) {
  const std::string_view cookie =
      FindCookie(cookie_header, signin::kSessionCookieName);
  if (sessions_ == nullptr || cookie.empty()) {
    return access_.Authenticate("", remote, request_id);
  }
  return sessions_->AuthenticateSession(cookie, csrf_token, changes_state,
                                        remote, request_id);
}

}  // namespace warden::api
