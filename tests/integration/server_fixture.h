// Starts a real ServerApp in-process on 127.0.0.1:0 with a fresh temporary
// data directory, and offers admin-side helpers that build test state over
// HTTP. The directory is removed afterwards.
#ifndef WARDEN_TESTS_INTEGRATION_SERVER_FIXTURE_H_
#define WARDEN_TESTS_INTEGRATION_SERVER_FIXTURE_H_

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "http_client.h"
#include "server/server_app.h"

namespace warden::testing_http {

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Hook for tests that need non-default options (set before SetUp runs).
  virtual void Configure(server::ServerOptions& /*options*/) {}

  // Admin helpers; each asserts success (ADD_FAILURE otherwise).
  void CreateTeam(const std::string& name);
  // Returns the new token secret.
  std::string CreateToken(const std::string& role, const std::string& team = {},
                          const std::string& environment = {});
  // A new Warden user `name` with `role` (and `team`) and its own token:
  // what a four-eyes decision needs (a user-less token decides nothing).
  std::string CreateUserToken(const std::string& name, const std::string& role,
                              const std::string& team = {});
  // An sdk token of `environment` bound to `tenant`.
  std::string CreateTenantToken(const std::string& tenant,
                                const std::string& environment = "development");
  // Returns the created identity's JSON.
  boost::json::object CreateIdentity(
      const std::string& name, const std::string& owner,
      const std::string& environment = "development");

  // A valid registration body (workload kind: no rotation needed).
  static boost::json::object IdentityBody(const std::string& name,
                                          const std::string& owner,
                                          const std::string& environment);
  // Audit records (newest first) carrying this request id, as admin.
  int AuditRecordsFor(const std::string& request_id);

  std::string data_dir_;
  std::unique_ptr<server::ServerApp> app_;
  std::unique_ptr<HttpClient> client_;
  std::string admin_token_;
};

}  // namespace warden::testing_http

#endif  // WARDEN_TESTS_INTEGRATION_SERVER_FIXTURE_H_
