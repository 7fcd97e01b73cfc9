#include "tokens/oidc_provider_metadata.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "tokens/oidc_token_response.h"

namespace warden::tokens {
namespace {

constexpr char kIssuer[] = "https://idp.example.com/realms/corp";

boost::json::object Document() {
  return {
      {"issuer", kIssuer},
      {"authorization_endpoint", "https://idp.example.com/auth"},
      {"token_endpoint", "https://idp.example.com/token"},
      {"jwks_uri", "https://idp.example.com/jwks"},
      {"response_types_supported", boost::json::array{"code", "id_token"}},
      {"code_challenge_methods_supported", boost::json::array{"plain", "S256"}},
      {"token_endpoint_auth_methods_supported",
       boost::json::array{"private_key_jwt", "client_secret_basic",
                          "client_secret_post"}}};
}

Result<OidcProviderMetadata> Parse(const boost::json::object& doc) {
  return OidcProviderMetadata::Parse(boost::json::serialize(doc), kIssuer);
}

TEST(OidcProviderMetadata, ParsesAProviderDocument) {
  auto metadata = Parse(Document());
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  EXPECT_EQ(metadata->issuer, kIssuer);
  EXPECT_EQ(metadata->authorization_endpoint, "https://idp.example.com/auth");
  EXPECT_EQ(metadata->token_endpoint, "https://idp.example.com/token");
  EXPECT_EQ(metadata->jwks_uri, "https://idp.example.com/jwks");
  EXPECT_EQ(metadata->auth_method, ClientAuthMethod::kClientSecretBasic);
}

TEST(OidcProviderMetadata, ChoosesClientSecretPostWhenBasicIsNotListed) {
  auto doc = Document();
  doc["token_endpoint_auth_methods_supported"] =
      boost::json::array{"client_secret_post"};
  auto metadata = Parse(doc);
  ASSERT_TRUE(metadata.ok());
  EXPECT_EQ(metadata->auth_method, ClientAuthMethod::kClientSecretPost);
  doc.erase("token_endpoint_auth_methods_supported");  // default: basic
  EXPECT_EQ(Parse(doc)->auth_method, ClientAuthMethod::kClientSecretBasic);
  doc["token_endpoint_auth_methods_supported"] =
      boost::json::array{"private_key_jwt"};
  EXPECT_FALSE(Parse(doc).ok());
}

TEST(OidcProviderMetadata, RefusesAnotherIssuer) {
  auto doc = Document();
  doc["issuer"] = "https://evil.example.com/realms/corp";
  EXPECT_FALSE(Parse(doc).ok());
  doc["issuer"] = std::string(kIssuer) + "/";
  EXPECT_FALSE(Parse(doc).ok());
  doc.erase("issuer");
  EXPECT_FALSE(Parse(doc).ok());
}

TEST(OidcProviderMetadata, RefusesPlainHttpOffLoopbackAndMissingEndpoints) {
  for (const char* member :
       {"authorization_endpoint", "token_endpoint", "jwks_uri"}) {
    auto doc = Document();
    doc[member] = "http://idp.example.com/x";
    EXPECT_FALSE(Parse(doc).ok()) << member;
    doc[member] = "http://localhost.evil.example/x";
    EXPECT_FALSE(Parse(doc).ok()) << member;
    doc[member] = "https://idp.example.com/x#frag";
    EXPECT_FALSE(Parse(doc).ok()) << member;
    doc[member] = 7;
    EXPECT_FALSE(Parse(doc).ok()) << member;
    doc.erase(member);
    EXPECT_FALSE(Parse(doc).ok()) << member;
  }
}

TEST(OidcProviderMetadata, RefusesProvidersWithoutCodeOrS256) {
  auto doc = Document();
  doc["code_challenge_methods_supported"] = boost::json::array{"plain"};
  EXPECT_FALSE(Parse(doc).ok());
  doc.erase("code_challenge_methods_supported");  // absent: assumed
  EXPECT_TRUE(Parse(doc).ok());
  doc["response_types_supported"] = boost::json::array{"id_token"};
  EXPECT_FALSE(Parse(doc).ok());
}

TEST(OidcProviderMetadata, RefusesNonJsonAndOversize) {
  EXPECT_FALSE(OidcProviderMetadata::Parse("<html>", kIssuer).ok());
  EXPECT_FALSE(OidcProviderMetadata::Parse("[]", kIssuer).ok());
  EXPECT_FALSE(
      OidcProviderMetadata::Parse(std::string(70 * 1024, ' '), kIssuer).ok());
}

TEST(ProviderUrls, LoopbackHttpAndDiscoveryUrl) {
  EXPECT_TRUE(IsAcceptableProviderUrl("http://127.0.0.1:9000/oidc"));
  EXPECT_TRUE(IsAcceptableProviderUrl("http://localhost:9000"));
  EXPECT_TRUE(IsAcceptableProviderUrl("http://[::1]:9000/"));
  EXPECT_FALSE(IsAcceptableProviderUrl("http://127.0.0.1.evil.example/"));
  EXPECT_FALSE(IsAcceptableProviderUrl("http://user@evil.example/"));
  EXPECT_FALSE(IsAcceptableProviderUrl("https:///nohost"));
  EXPECT_FALSE(IsAcceptableProviderUrl("ftp://idp.example.com"));
  EXPECT_EQ(DiscoveryUrl("https://idp.example.com/realms/corp/"),
            "https://idp.example.com/realms/corp/.well-known/"
            "openid-configuration");
}

TEST(OidcTokenResponse, ParsesSuccessAndErrors) {
  auto ok = OidcTokenResponse::Parse(
      200, R"({"access_token":"x","token_type":"Bearer","id_token":"a.b.c"})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->id_token, "a.b.c");
  auto refused = OidcTokenResponse::Parse(
      400, R"({"error":"invalid_grant","error_description":"code \"used\""})");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("invalid_grant"),
            std::string::npos);
  auto no_id_token = OidcTokenResponse::Parse(200, R"({"access_token":"x"})");
  EXPECT_EQ(no_id_token.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(OidcTokenResponse::Parse(502, "Bad gateway").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(OidcTokenResponse::Parse(500, "{}").status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace warden::tokens
