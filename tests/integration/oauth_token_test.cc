// The OAuth 2.0 authorization server over HTTP: metadata, JWKS, client
// credentials with client_secret_basic/post and private_key_jwt, RFC 6749
// errors, scopes, identity status, rotation, introspection, revocation,
// rate limiting, tenant-bound tokens and batched usage.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <thread>

#include "core/clock.h"
#include "oauth_test_support.h"
#include "tokens/access_token_verifier.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"
#include "tokens/signing_key.h"

namespace warden::testing_http {
namespace {

class OAuthTokenTest : public OAuthFixture {
 protected:
  std::shared_ptr<const tokens::Jwks> FetchJwks() {
    HttpReply reply = client_->Get("/oauth/jwks");
    EXPECT_EQ(reply.status, 200);
    auto jwks = tokens::Jwks::Parse(reply.body);
    EXPECT_TRUE(jwks.ok()) << jwks.status().ToString();
    return jwks.ok() ? *jwks : nullptr;
  }

  Result<tokens::AccessTokenClaims> Verify(const std::string& token) {
    auto jwks = FetchJwks();
    tokens::AccessTokenVerifierOptions options;
    options.issuer = app_->url();
    options.audience = app_->url();
    SystemClock clock;
    tokens::AccessTokenVerifier verifier(options, *jwks, clock);
    return verifier.Verify(token);
  }
};

TEST_F(OAuthTokenTest, MetadataListsEveryEndpointAndMethod) {
  HttpReply reply = client_->Get("/.well-known/oauth-authorization-server");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const boost::json::value json = reply.json();
  const auto& m = json.as_object();
  EXPECT_EQ(m.at("issuer").as_string(), app_->url());
  EXPECT_EQ(m.at("token_endpoint").as_string(), app_->url() + "/oauth/token");
  EXPECT_EQ(m.at("jwks_uri").as_string(), app_->url() + "/oauth/jwks");
  EXPECT_EQ(m.at("introspection_endpoint").as_string(),
            app_->url() + "/oauth/introspect");
  EXPECT_EQ(m.at("revocation_endpoint").as_string(),
            app_->url() + "/oauth/revoke");
  const auto& algs =
      m.at("token_endpoint_auth_signing_alg_values_supported").as_array();
  for (const char* alg : {"EdDSA", "Ed25519", "ES256"}) {
    EXPECT_NE(std::find(algs.begin(), algs.end(), boost::json::value(alg)),
              algs.end())
        << alg;
  }
  const auto& methods =
      m.at("token_endpoint_auth_methods_supported").as_array();
  EXPECT_EQ(methods.size(), 3u);
}

TEST_F(OAuthTokenTest, ClientSecretBasicIssuesJwtVerifiableWithJwks) {
  HttpReply reply = RequestToken(id_, secret_);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("cache-control"), "no-store");
  const boost::json::value json = reply.json();
  const auto& body = json.as_object();
  EXPECT_EQ(body.at("token_type").as_string(), "Bearer");
  EXPECT_EQ(body.at("scope").as_string(), "orders:read");
  // Production, derived tier: minutes, never hours.
  EXPECT_GT(body.at("expires_in").as_int64(), 0);
  EXPECT_LE(body.at("expires_in").as_int64(), 1800);
  const std::string token(body.at("access_token").as_string());
  auto claims = Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->subject, id_);
  EXPECT_EQ(claims->client_id, id_);
  auto jws = tokens::ParseCompactJws(token);
  ASSERT_TRUE(jws.ok());
  EXPECT_EQ(jws->header.typ, "at+jwt");
  EXPECT_EQ(jws->header.alg, tokens::JwsAlgorithm::kEdDSA);
}

TEST_F(OAuthTokenTest, ClientSecretPostWorksAndRequestedLifetimeIsHonoured) {
  HttpReply reply = client_->Send(
      "POST", "/oauth/token", {},
      "grant_type=client_credentials&client_id=" + id_ +
          "&client_secret=" + secret_ + "&expires_in=60&scope=orders%3Aread",
      FormHeaders());
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json().at("expires_in").as_int64(), 60);
}

TEST_F(OAuthTokenTest, RefusalsUseRfc6749ErrorCodes) {
  HttpReply wrong = RequestToken(id_, secret_ + "x");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json().at("error").as_string(), "invalid_client");
  EXPECT_NE(wrong.header("www-authenticate").find("Basic"), std::string::npos);
  EXPECT_EQ(wrong.header("cache-control"), "no-store");

  HttpReply scope = RequestToken(id_, secret_, "&scope=orders%3Awrite");
  EXPECT_EQ(scope.status, 400);
  EXPECT_EQ(scope.json().at("error").as_string(), "invalid_scope");

  HttpReply grant = client_->Send("POST", "/oauth/token", {},
                                  "grant_type=password", FormHeaders());
  EXPECT_EQ(grant.json().at("error").as_string(), "unsupported_grant_type");
  HttpReply missing =
      client_->Send("POST", "/oauth/token", {}, "scope=x", FormHeaders());
  EXPECT_EQ(missing.json().at("error").as_string(), "invalid_request");
  HttpReply twice = RequestToken(id_, secret_, "&scope=a&scope=b");
  EXPECT_EQ(twice.json().at("error").as_string(), "invalid_request");
  HttpReply unknown = RequestToken("01890000-0000-7000-8000-000000000000", "s");
  EXPECT_EQ(unknown.status, 401);
}

TEST_F(OAuthTokenTest, SuspendedIdentityGetsNoTokenAndItsTokensGoInactive) {
  const std::string token = Token();
  EXPECT_TRUE(Active(token));
  HttpReply suspended =
      client_->Post("/v1/identities/" + id_ + "/suspend", admin_token_,
                    boost::json::object{{"reason", "incident 42"}});
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_FALSE(Active(token));
  HttpReply refused = RequestToken(id_, secret_);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.json().at("error").as_string(), "unauthorized_client");
  // Resuming does not bring the old token back (the epoch stays).
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(client_
                ->Post("/v1/identities/" + id_ + "/resume", admin_token_,
                       boost::json::object{{"reason", "fixed"}})
                .status,
            200);
  EXPECT_FALSE(Active(token));
  EXPECT_TRUE(Active(Token()));
}

TEST_F(OAuthTokenTest, RevokedTokenReadsInactiveImmediately) {
  const std::string token = Token();
  const std::string other = Token();
  HttpReply revoked =
      client_->Send("POST", "/oauth/revoke", {}, "token=" + token,
                    BasicHeaders(id_, secret_));
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_FALSE(Active(token));
  EXPECT_TRUE(Active(other));
  // Introspection by the client itself.
  HttpReply self = client_->Send("POST", "/oauth/introspect", {},
                                 "token=" + other, BasicHeaders(id_, secret_));
  ASSERT_EQ(self.status, 200);
  EXPECT_TRUE(self.json().at("active").as_bool());
  EXPECT_EQ(self.json().at("scope").as_string(), "orders:read");
}

TEST_F(OAuthTokenTest, IntrospectionNeedsAdminOrSecurityOrAClient) {
  const std::string auditor = CreateToken("auditor");
  HttpReply reply = client_->Send("POST", "/oauth/introspect", auditor,
                                  "token=" + Token(), FormHeaders());
  EXPECT_EQ(reply.status, 403);
  HttpReply anonymous =
      client_->Send("POST", "/oauth/introspect", {}, "token=x", FormHeaders());
  EXPECT_EQ(anonymous.status, 401);
  HttpReply wrong_secret =
      client_->Send("POST", "/oauth/introspect", {}, "token=x",
                    BasicHeaders(id_, "not-the-secret"));
  EXPECT_EQ(wrong_secret.status, 401);
  // Every refusal is audited (deny for the role, failure for the clients).
  HttpReply audit = client_->Get(
      "/v1/audit?action=oauth.token.introspect&limit=100", admin_token_);
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::vector<std::string> outcomes;
  const boost::json::value audit_json = audit.json();
  for (const auto& item : audit_json.at("items").as_array()) {
    outcomes.emplace_back(item.at("outcome").as_string());
  }
  EXPECT_EQ(outcomes.size(), 3u) << audit.body;
  EXPECT_NE(std::find(outcomes.begin(), outcomes.end(), "deny"), outcomes.end())
      << audit.body;
}

// Once the client is cached, tokens are decided on the I/O thread; every
// issuance and every refusal is still audited, one record per request.
TEST_F(OAuthTokenTest, CachedClientIssuancesAndRefusalsAreAudited) {
  auto outcomes = [&] {
    HttpReply audit = client_->Get(
        "/v1/audit?action=oauth.token.issue&limit=1000", admin_token_);
    EXPECT_EQ(audit.status, 200) << audit.body;
    std::multiset<std::string> seen;
    const boost::json::value json = audit.json();
    for (const auto& item : json.at("items").as_array()) {
      seen.insert(std::string(item.at("outcome").as_string()));
    }
    return seen;
  };
  const std::multiset<std::string> before = outcomes();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(RequestToken(id_, secret_).status, 200);
  EXPECT_EQ(RequestToken(id_, secret_ + "x").status, 401);
  EXPECT_EQ(RequestToken(id_, secret_, "&scope=orders%3Awrite").status, 400);
  const std::multiset<std::string> after = outcomes();
  EXPECT_EQ(after.count("ok"), before.count("ok") + 3);
  EXPECT_EQ(after.size(), before.size() + 5);
}

TEST_F(OAuthTokenTest, RotatedSecretOverlapsThenOnlyTheNewOneWorks) {
  const std::string old_secret = secret_;
  const std::string overlapping = RegisterSecret(id_, 3600);
  EXPECT_EQ(RequestToken(id_, old_secret).status, 200);
  EXPECT_EQ(RequestToken(id_, overlapping).status, 200);
  const std::string fresh = RegisterSecret(id_, 0);
  EXPECT_EQ(RequestToken(id_, overlapping).status, 401);
  EXPECT_EQ(RequestToken(id_, old_secret).status, 401);
  EXPECT_EQ(RequestToken(id_, fresh).status, 200);
}

TEST_F(OAuthTokenTest, PrivateKeyJwtWithReplayProtection) {
  auto key = tokens::SigningKey::Generate(tokens::JwsAlgorithm::kEdDSA);
  ASSERT_TRUE(key.ok());
  tokens::Jwks jwks({(*key)->public_key()});
  HttpReply registered = client_->Post(
      "/v1/identities/" + id_ + "/credentials", admin_token_,
      boost::json::object{{"method", "private_key_jwt"},
                          {"jwks", boost::json::parse(jwks.ToJson())}});
  ASSERT_EQ(registered.status, 201) << registered.body;
  const int64_t now = ToMicros(SystemClock().Now()) / 1'000'000;
  boost::json::object claims{{"iss", id_},
                             {"sub", id_},
                             {"aud", app_->url() + "/oauth/token"},
                             {"exp", now + 60},
                             {"jti", "assertion-1"}};
  auto assertion =
      tokens::SignCompactJws(**key, "", boost::json::serialize(claims));
  ASSERT_TRUE(assertion.ok());
  const std::string body =
      "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams"
      "%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" +
      *assertion;
  HttpReply first =
      client_->Send("POST", "/oauth/token", {}, body, FormHeaders());
  ASSERT_EQ(first.status, 200) << first.body;
  HttpReply replayed =
      client_->Send("POST", "/oauth/token", {}, body, FormHeaders());
  EXPECT_EQ(replayed.status, 401);
  EXPECT_NE(replayed.json().at("error_description").as_string().find("replay"),
            std::string::npos)
      << replayed.body;
  // The secret no longer authenticates this client.
  EXPECT_EQ(RequestToken(id_, secret_).status, 401);
}

TEST_F(OAuthTokenTest, KeyRotationKeepsOldTokensVerifiableAndIsAdminOnly) {
  const std::string token = Token();
  const std::string owner = CreateToken("app_owner", "payments");
  EXPECT_EQ(client_->Send("POST", "/v1/oauth/keys/rotate", owner, "").status,
            403);
  HttpReply rotated =
      client_->Send("POST", "/v1/oauth/keys/rotate", admin_token_, "");
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_TRUE(Verify(token).ok());
  EXPECT_TRUE(Active(token));
  const std::string fresh = Token();
  EXPECT_NE(tokens::ParseCompactJws(token)->header.kid,
            tokens::ParseCompactJws(fresh)->header.kid);
  // Emergency rotation drops the current key at once: its tokens stop
  // verifying, while the retired key's tokens stay valid.
  ASSERT_EQ(client_
                ->Send("POST", "/v1/oauth/keys/rotate", admin_token_,
                       R"({"emergency": true})")
                .status,
            200);
  EXPECT_FALSE(Active(fresh));
  EXPECT_TRUE(Active(token));
}

TEST_F(OAuthTokenTest, RateLimitAnswers429WithRetryAfter) {
  HttpReply last;
  for (int i = 0; i < 150 && last.status != 429; ++i) {
    last = RequestToken(id_, "wrong");
  }
  ASSERT_EQ(last.status, 429) << last.body;
  EXPECT_FALSE(last.header("retry-after").empty());
  EXPECT_EQ(last.json().at("error").as_string(), "rate_limited");
}

TEST_F(OAuthTokenTest, UsageIsRecordedInBatches) {
  Token("&scope=orders%3Aread");
  std::string last_used;
  for (int i = 0; i < 50 && last_used.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    HttpReply got = client_->Get("/v1/identities/" + id_, admin_token_);
    const boost::json::value json = got.json();
    const auto* at = json.as_object().if_contains("last_used_at");
    if (at && at->is_string()) last_used = std::string(at->as_string());
  }
  EXPECT_FALSE(last_used.empty());
  HttpReply used =
      client_->Get("/v1/identities/" + id_ + "/scopes-used", admin_token_);
  ASSERT_EQ(used.status, 200) << used.body;
  const boost::json::value json = used.json();
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("scope").as_string(), "orders:read");
}

}  // namespace
}  // namespace warden::testing_http
