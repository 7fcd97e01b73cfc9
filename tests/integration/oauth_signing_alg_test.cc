// `warden serve --token-signing-alg ES256`: a server whose new signing keys
// are ES256 issues access tokens with header alg ES256 that verify against
// its published /oauth/jwks.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "oauth_test_support.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"

namespace warden::testing_http {
namespace {

class OAuthSigningAlgTest : public OAuthFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.token_signing_algorithm = tokens::JwsAlgorithm::kES256;
  }
};

tokens::JwsAlgorithm HeaderAlg(const std::string& token) {
  auto jws = tokens::ParseCompactJws(token);
  EXPECT_TRUE(jws.ok());
  return jws.ok() ? jws->header.alg : tokens::JwsAlgorithm::kEdDSA;
}

// A data dir whose keys are EdDSA, restarted with ES256: existing keys keep
// their algorithm; rotations bring ES256 in (next key first, then current).
class OAuthSigningAlgChangeTest : public OAuthFixture {
 protected:
  void RestartWithEs256() {
    const uint16_t port = app_->port();
    client_.reset();
    app_->Stop();
    app_.reset();
    server::ServerOptions options;
    options.data_dir = data_dir_ + "/data";
    options.listen = "127.0.0.1:" + std::to_string(port);  // same issuer
    options.io_threads = 2;
    options.worker_threads = 8;
    options.token_signing_algorithm = tokens::JwsAlgorithm::kES256;
    Result<std::unique_ptr<server::ServerApp>> app =
        server::ServerApp::Start(options);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
    client_ = std::make_unique<HttpClient>(app_->port());
  }

  void Rotate() {
    HttpReply rotated =
        client_->Send("POST", "/v1/oauth/keys/rotate", admin_token_, "");
    ASSERT_EQ(rotated.status, 200) << rotated.body;
  }
};

TEST_F(OAuthSigningAlgChangeTest, ExistingKeysKeepTheirAlgorithmUntilRotated) {
  EXPECT_EQ(HeaderAlg(Token()), tokens::JwsAlgorithm::kEdDSA);
  RestartWithEs256();
  EXPECT_EQ(HeaderAlg(Token()), tokens::JwsAlgorithm::kEdDSA);
  Rotate();  // the pre-generated EdDSA next key signs; an ES256 key is next
  EXPECT_EQ(HeaderAlg(Token()), tokens::JwsAlgorithm::kEdDSA);
  EXPECT_NE(client_->Get("/oauth/jwks", "").body.find("\"ES256\""),
            std::string::npos);
  Rotate();
  const std::string token = Token();
  EXPECT_EQ(HeaderAlg(token), tokens::JwsAlgorithm::kES256);
  EXPECT_TRUE(Active(token));
}

TEST_F(OAuthSigningAlgTest, Es256TokensVerifyAgainstPublishedJwks) {
  const std::string token = Token();
  ASSERT_FALSE(token.empty());
  auto jws = tokens::ParseCompactJws(token);
  ASSERT_TRUE(jws.ok()) << jws.status().ToString();
  EXPECT_EQ(jws->header.alg, tokens::JwsAlgorithm::kES256);

  HttpReply jwks_reply = client_->Get("/oauth/jwks", "");
  ASSERT_EQ(jwks_reply.status, 200) << jwks_reply.body;
  auto jwks = tokens::Jwks::Parse(jwks_reply.body);
  ASSERT_TRUE(jwks.ok()) << jwks.status().ToString();
  EXPECT_TRUE(tokens::VerifyJwsWithResolver(*jws, **jwks).ok());
  EXPECT_NE(jwks_reply.body.find("\"ES256\""), std::string::npos);
  EXPECT_TRUE(Active(token));
}

}  // namespace
}  // namespace warden::testing_http
