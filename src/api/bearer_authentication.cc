#include "api/bearer_authentication.h"

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

Result<Principal> BearerAuthentication::AuthenticateWorkload(
    std::string_view token, std::string_view remote,
    std::string_view request_id) {
  return workloads_->Authenticate(token, remote, request_id);
}

Status BearerAuthentication::RefuseWorkload(const Caller& caller,
                                            std::string_view method,
                                            std::string_view route) {
  return workloads_->Refuse(caller, method, route);
}

}  // namespace warden::api
