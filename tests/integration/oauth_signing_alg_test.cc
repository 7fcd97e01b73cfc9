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
  void Configure(ServerOptions& options) override {
    options.token_signing_algorithm = tokens::JwsAlgorithm::kES256;
  }
};

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
