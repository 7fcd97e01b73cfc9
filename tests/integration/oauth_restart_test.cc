// OAuth state survives a restart on the same data directory: the sealed
// signing keys (same JWKS, old tokens still verify), the revocation state
// (a revoked token stays inactive, an identity epoch stays) and client
// credentials.
#include <gtest/gtest.h>

#include <fstream>

#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

class OAuthRestartTest : public OAuthFixture {
 protected:
  void Restart() {
    const uint16_t port = app_->port();
    client_.reset();
    app_->Stop();
    app_.reset();
    server::ServerOptions options;
    options.data_dir = data_dir_ + "/data";
    options.listen = "127.0.0.1:" + std::to_string(port);  // same issuer
    options.io_threads = 2;
    options.worker_threads = 8;
    Result<std::unique_ptr<server::ServerApp>> app =
        server::ServerApp::Start(options);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
    client_ = std::make_unique<HttpClient>(app_->port());
  }
};

TEST_F(OAuthRestartTest, KeysRevocationsAndCredentialsArePersisted) {
  const std::string kept = Token();
  const std::string revoked = Token();
  ASSERT_EQ(client_
                ->Send("POST", "/oauth/revoke", {}, "token=" + revoked,
                       BasicHeaders(id_, secret_))
                .status,
            200);
  const std::string jwks = client_->Get("/oauth/jwks").body;
  Restart();
  EXPECT_EQ(client_->Get("/oauth/jwks").body, jwks);
  EXPECT_TRUE(Active(kept));
  EXPECT_FALSE(Active(revoked));
  EXPECT_EQ(RequestToken(id_, secret_).status, 200);
}

TEST_F(OAuthRestartTest, WrongKekRefusesToStartRatherThanMintNewKeys) {
  const uint16_t port = app_->port();
  client_.reset();
  app_->Stop();
  app_.reset();
  {
    std::ofstream kek(data_dir_ + "/data/kek",
                      std::ios::binary | std::ios::trunc);
    kek << std::string(32, 'z');
  }
  server::ServerOptions options;
  options.data_dir = data_dir_ + "/data";
  options.listen = "127.0.0.1:" + std::to_string(port);
  Result<std::unique_ptr<server::ServerApp>> app =
      server::ServerApp::Start(options);
  EXPECT_FALSE(app.ok());
}

}  // namespace
}  // namespace warden::testing_http
