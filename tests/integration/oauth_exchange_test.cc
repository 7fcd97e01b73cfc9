// RFC 8693 token exchange: a CI system's OIDC token (signed by a key of a
// configured trusted issuer) is exchanged for a Warden token of the
// identity its repository and branch claims map to; every other subject
// token is refused with the reason.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.h"
#include "oauth_test_support.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"
#include "tokens/signing_key.h"

namespace warden::testing_http {
namespace {

constexpr char kCiIssuer[] = "https://ci.example";
constexpr char kJwtType[] = "urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt";

class OAuthExchangeTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    auto key = tokens::SigningKey::Generate(tokens::JwsAlgorithm::kEdDSA);
    ASSERT_TRUE(key.ok());
    ci_key_ = *key;
    tokens::Jwks jwks({ci_key_->public_key()});
    boost::json::array config{boost::json::object{
        {"issuer", kCiIssuer},
        {"audience", "warden"},
        {"jwks", boost::json::parse(jwks.ToJson())},
        {"rules",
         {boost::json::object{
             {"claims",
              {{"repository", "acme/checkout"}, {"ref", "refs/heads/main"}}},
             {"identity", "checkout-worker"}}}}}};
    HttpReply set = client_->Send("PUT", "/v1/oauth/trusted-issuers",
                                  admin_token_, boost::json::serialize(config));
    ASSERT_EQ(set.status, 200) << set.body;
  }

  std::string CiToken(boost::json::object overrides = {},
                      const tokens::SigningKey* key = nullptr) {
    const int64_t now = ToUnixSeconds(SystemClock().Now());
    boost::json::object claims{{"iss", kCiIssuer},
                               {"aud", "warden"},
                               {"sub", "repo:acme/checkout:ref:main"},
                               {"repository", "acme/checkout"},
                               {"ref", "refs/heads/main"},
                               {"iat", now},
                               {"exp", now + 300}};
    for (const auto& [name, value] : overrides) claims[name] = value;
    auto jws = tokens::SignCompactJws(key ? *key : *ci_key_, "JWT",
                                      boost::json::serialize(claims));
    EXPECT_TRUE(jws.ok());
    return jws.ok() ? *jws : std::string();
  }

  HttpReply Exchange(const std::string& subject_token) {
    return client_->Send(
        "POST", "/oauth/token", {},
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
        "&subject_token_type=" +
            std::string(kJwtType) + "&subject_token=" + subject_token,
        FormHeaders());
  }

  void ExpectRefused(const std::string& subject_token,
                     const std::string& reason) {
    HttpReply reply = Exchange(subject_token);
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(reply.json().at("error").as_string(), "invalid_request");
    EXPECT_NE(std::string(reply.json().at("error_description").as_string())
                  .find(reason),
              std::string::npos)
        << reply.body;
  }

  std::shared_ptr<const tokens::SigningKey> ci_key_;
};

TEST_F(OAuthExchangeTest, MappedCiTokenIsExchangedForWardenToken) {
  HttpReply reply = Exchange(CiToken());
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json().at("issued_token_type").as_string(),
            "urn:ietf:params:oauth:token-type:access_token");
  const std::string token(reply.json().at("access_token").as_string());
  HttpReply introspected =
      client_->Send("POST", "/oauth/introspect", admin_token_, "token=" + token,
                    FormHeaders());
  EXPECT_TRUE(introspected.json().at("active").as_bool());
  EXPECT_EQ(introspected.json().at("sub").as_string(), id_);
  HttpReply config = client_->Get("/v1/oauth/trusted-issuers", admin_token_);
  EXPECT_EQ(config.status, 200);
}

TEST_F(OAuthExchangeTest, EveryOtherSubjectTokenIsRefusedWithTheReason) {
  ExpectRefused(CiToken({{"ref", "refs/heads/feature"}}), "no mapping rule");
  ExpectRefused(CiToken({{"iss", "https://evil.example"}}), "not trusted");
  ExpectRefused(CiToken({{"aud", "someone-else"}}), "aud");
  const int64_t past = ToUnixSeconds(SystemClock().Now()) - 3600;
  ExpectRefused(CiToken({{"exp", past}}), "expired");
  auto other = tokens::SigningKey::Generate(tokens::JwsAlgorithm::kEdDSA);
  ASSERT_TRUE(other.ok());
  ExpectRefused(CiToken({}, other->get()), "subject token refused");
  ExpectRefused("not.a.jwt", "subject token refused");
  // A Warden token of the identity is not a trusted issuer's token.
  ExpectRefused(Token(), "not trusted");
}

TEST_F(OAuthExchangeTest, TrustedIssuersAreAdminOrSecurityOnly) {
  const std::string owner = CreateToken("app_owner", "payments");
  EXPECT_EQ(
      client_->Send("PUT", "/v1/oauth/trusted-issuers", owner, "[]").status,
      403);
  EXPECT_EQ(client_
                ->Send("PUT", "/v1/oauth/trusted-issuers", admin_token_,
                       R"([{"issuer": "x"}])")
                .status,
            400);
}

}  // namespace
}  // namespace warden::testing_http
