#include "server_fixture.h"

#include <stdlib.h>

#include <boost/json/array.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/clock.h"
#include "core/time_format.h"

namespace warden::testing_http {

void ServerFixture::SetUp() {
  std::string pattern =
      (std::filesystem::path(::testing::TempDir()) / "warden_http_XXXXXX")
          .string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  data_dir_ = pattern;
  server::ServerOptions options;
  options.data_dir = data_dir_ + "/data";  // created by Start
  options.listen = "127.0.0.1:0";
  options.io_threads = 2;
  options.worker_threads = 8;
  Configure(options);
  Result<std::unique_ptr<server::ServerApp>> app =
      server::ServerApp::Start(options);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  app_ = std::move(app).value();
  std::ifstream token_file(options.data_dir + "/admin.token");
  std::getline(token_file, admin_token_);
  ASSERT_FALSE(admin_token_.empty());
  client_ = std::make_unique<HttpClient>(app_->port());
}

void ServerFixture::TearDown() {
  client_.reset();
  if (app_) app_->Stop();
  app_.reset();
  std::error_code ec;
  if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ec);
}

void ServerFixture::CreateTeam(const std::string& name) {
  HttpReply reply = client_->Post("/v1/teams", admin_token_,
                                  boost::json::object{{"name", name}});
  if (reply.status != 201) {
    ADD_FAILURE() << "create team " << name << ": " << reply.status << " "
                  << reply.body;
  }
}

std::string ServerFixture::CreateToken(const std::string& role,
                                       const std::string& team,
                                       const std::string& environment) {
  boost::json::object body{{"role", role}};
  if (!team.empty()) body["team"] = team;
  if (!environment.empty()) body["environment"] = environment;
  HttpReply reply = client_->Post("/v1/tokens", admin_token_, body);
  if (reply.status != 201) {
    ADD_FAILURE() << "create token " << role << ": " << reply.status << " "
                  << reply.body;
    return {};
  }
  return std::string(reply.json().at("token").as_string());
}

std::string ServerFixture::CreateUserToken(const std::string& name,
                                           const std::string& role,
                                           const std::string& team) {
  boost::json::object user{{"name", name}, {"role", role}};
  if (!team.empty()) user["team"] = team;
  HttpReply created = client_->Post("/v1/users", admin_token_, user);
  if (created.status != 201) {
    ADD_FAILURE() << "create user " << name << ": " << created.status << " "
                  << created.body;
    return {};
  }
  HttpReply reply = client_->Post("/v1/tokens", admin_token_,
                                  boost::json::object{{"user", name}});
  if (reply.status != 201) {
    ADD_FAILURE() << "create token of " << name << ": " << reply.status << " "
                  << reply.body;
    return {};
  }
  return std::string(reply.json().at("token").as_string());
}

std::string ServerFixture::CreateTenantToken(const std::string& tenant,
                                             const std::string& environment) {
  HttpReply reply = client_->Post(
      "/v1/tokens", admin_token_,
      boost::json::object{
          {"role", "sdk"}, {"environment", environment}, {"tenant", tenant}});
  if (reply.status != 201) {
    ADD_FAILURE() << "create tenant token " << tenant << ": " << reply.status
                  << " " << reply.body;
    return {};
  }
  return std::string(reply.json().at("token").as_string());
}

boost::json::object ServerFixture::IdentityBody(
    const std::string& name, const std::string& owner,
    const std::string& environment) {
  Timestamp expires = SystemClock().Now() + std::chrono::hours(24 * 30);
  return boost::json::object{{"name", name},
                             {"kind", "workload"},
                             {"owner", owner},
                             {"application", "checkout"},
                             {"environment", environment},
                             {"scopes", boost::json::array{"orders:read"}},
                             {"expires_at", FormatRfc3339(expires)},
                             {"justification", "integration test"}};
}

boost::json::object ServerFixture::CreateIdentity(
    const std::string& name, const std::string& owner,
    const std::string& environment) {
  HttpReply reply = client_->Post("/v1/identities", admin_token_,
                                  IdentityBody(name, owner, environment));
  if (reply.status != 201) {
    ADD_FAILURE() << "create identity " << name << ": " << reply.status << " "
                  << reply.body;
    return {};
  }
  return reply.json().as_object();
}

int ServerFixture::AuditRecordsFor(const std::string& request_id) {
  HttpReply reply = client_->Get("/v1/audit?order=desc&limit=50", admin_token_);
  if (reply.status != 200) {
    ADD_FAILURE() << "audit query: " << reply.status << " " << reply.body;
    return 0;
  }
  int found = 0;
  const boost::json::value reply_json = reply.json();
  for (const auto& item : reply_json.at("items").as_array()) {
    const auto& details = item.at("details");
    if (!details.is_object()) continue;
    const auto* id = details.as_object().if_contains("request_id");
    if (id && id->is_string() && id->as_string() == request_id) ++found;
  }
  return found;
}

}  // namespace warden::testing_http
