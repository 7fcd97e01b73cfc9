// BearerAuthentication: the pipeline's BearerAuthenticator over the
// credentials of the API: Warden API tokens ("wdn_...", the inventory's
// AccessService), console session cookies (signin::SignInService) and,
// once the OAuth server has started, workloads' own OAuth access tokens
// (compact JWS, oauth::WorkloadAuthenticator). Without
// a workload authenticator (tests that build a pipeline alone, or before
// the OAuth server starts) every bearer token is an API token.
//
// Thread safety: set_workloads() before serving; the rest concurrently.
#ifndef WARDEN_API_BEARER_AUTHENTICATION_H_
#define WARDEN_API_BEARER_AUTHENTICATION_H_

#include <string_view>

#include "http/bearer_authenticator.h"
#include "inventory/access_service.h"
#include "oauth/workload_authenticator.h"
#include "signin/sign_in_service.h"

namespace warden::api {

class BearerAuthentication final : public BearerAuthenticator {
 public:
  // `access` is borrowed and must outlive this.
  explicit BearerAuthentication(inventory::AccessService& access)
      : access_(access) {}

  // Borrowed; must outlive every request. Null: no workload tokens.
  void set_workloads(oauth::WorkloadAuthenticator* workloads) {
    workloads_ = workloads;
  }

  bool IsWorkloadToken(std::string_view token) const override;
  std::optional<Principal> CachedApiToken(std::string_view token) override;
  Result<Principal> AuthenticateApiToken(std::string_view token,
                                         std::string_view remote,
                                         std::string_view request_id) override;
  Result<Principal> AuthenticateWorkload(
      std::string_view token, std::string_view certificate_thumbprint,
      std::string_view remote, std::string_view request_id) override;
  Status RefuseWorkload(const Caller& caller, std::string_view method,
                        std::string_view route) override;

  // Borrowed; must outlive every request. Null: console session cookies
  // authenticate nothing (they fail as a missing bearer token would).
  void set_sessions(signin::SignInService* sessions) { sessions_ = sessions; }
  Result<Principal> AuthenticateSession(std::string_view cookie_header,
                                        std::string_view csrf_token,
                                        bool changes_state,
                                        std::string_view remote,
                                        std::string_view request_id) override;

 private:
  inventory::AccessService& access_;
  oauth::WorkloadAuthenticator* workloads_ = nullptr;  // set before serving
  signin::SignInService* sessions_ = nullptr;          // set before serving
};

}  // namespace warden::api

#endif  // WARDEN_API_BEARER_AUTHENTICATION_H_
