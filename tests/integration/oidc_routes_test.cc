// Console single sign-on routes in-process, without a provider: what a
// server with single sign-on off answers, and a configuration that cannot
// work stops the server from starting (the whole flow against a real
// provider is tests/e2e/oidc_signin.test.js).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "http_client.h"
#include "server_fixture.h"

namespace warden::testing_http {
namespace {

class OidcRoutesOffTest : public ServerFixture {};

TEST_F(OidcRoutesOffTest, StatusSaysOff) {
  HttpReply reply = client_->Get("/v1/session/oidc");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json().as_object().at("enabled"), false);
  EXPECT_TRUE(reply.json().as_object().at("issuer").is_null());
}

TEST_F(OidcRoutesOffTest, StartAndCallbackAnswerDisabled) {
  for (const char* target : {"/v1/session/oidc/start?return_to=/ui/",
                             "/v1/session/oidc/callback?code=x&state=y"}) {
    HttpReply reply = client_->Get(target);
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_EQ(reply.problem_type(), "urn:warden:problem:oidc-disabled");
  }
}

TEST(OidcConfigurationTest, AnIncompleteConfigurationStopsTheStart) {
  std::string dir = ::testing::TempDir() + "warden-oidc-XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  server::ServerOptions options;
  options.data_dir = dir + "/data";
  options.listen = "127.0.0.1:0";
  options.oidc.issuer = "https://idp.example.com";  // no client id or secret
  auto app = server::ServerApp::Start(options);
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("single sign-on"), std::string::npos)
      << app.status().ToString();
  options.oidc.issuer = "http://idp.example.com";  // plain http, not loopback
  options.oidc.client_id = "warden";
  options.oidc.client_secret = "s";
  app = server::ServerApp::Start(options);
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("--oidc-issuer"), std::string::npos)
      << app.status().ToString();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace warden::testing_http
