// Workloads calling /v1 with their own OAuth access token: the
// owning identity reads its secret (scope secrets:read) and renews its
// X509-SVID (scope certificates:renew); everything else a workload token
// attempts is refused, and every decision is audited without the value.
//
// Attacks covered: another identity's token, a token lacking the scope, a
// token issued for another audience, a revoked token (RFC 7009 and identity
// suspension), alg none, a tampered payload, a JWT-shaped string, and a
// workload token on routes that do not accept one. Expiry is exercised with
// a manual clock in src/oauth/workload_authenticator_test.cc.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "core/crypto.h"
#include "credential_test_csr.h"
#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

constexpr char kSecretValue[] = "s3cr3t-value-never-logged";

std::string ScopeParam(const std::string& scopes) {
  std::string out = "&scope=";
  for (char c : scopes)
    out += c == ' ' ? std::string("%20") : std::string(1, c);
  return out;
}

class WorkloadAccessTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    if (HasFatalFailure()) return;
    GrantScopes(id_);
    HttpReply put = client_->Post("/v1/secrets", admin_token_,
                                  boost::json::object{{"name", "checkout-db"},
                                                      {"identity", id_},
                                                      {"value", kSecretValue}});
    ASSERT_EQ(put.status, 201) << put.body;
  }

  void GrantScopes(const std::string& id) {
    HttpReply patched = client_->Send(
        "PATCH", "/v1/identities/" + id, admin_token_,
        R"({"scopes": ["orders:read", "secrets:read", "certificates:renew"]})");
    ASSERT_EQ(patched.status, 200) << patched.body;
  }

  HttpReply ReadSecret(const std::string& token,
                       const std::string& query = {}) {
    return client_->Get("/v1/secrets/checkout-db/value" + query, token);
  }

  HttpReply RenewByToken(const std::string& token,
                         boost::json::object body = {}) {
    if (!body.contains("csr")) body["csr"] = FreshCsrPem();
    return client_->Send("POST", "/v1/certificates/renew", token,
                         boost::json::serialize(body));
  }

  // A second identity of the same team with its own credentials and scopes.
  std::string OtherToken(const std::string& scopes) {
    boost::json::object other =
        CreateIdentity("billing-worker", "payments", "production");
    const std::string other_id(other.at("id").as_string());
    GrantScopes(other_id);
    const std::string other_secret = RegisterSecret(other_id);
    HttpReply reply = RequestToken(other_id, other_secret, ScopeParam(scopes));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return std::string(reply.json().at("access_token").as_string());
  }

  // The audit records (newest first) carrying `request_id`.
  std::vector<boost::json::object> AuditOf(const std::string& request_id) {
    HttpReply reply =
        client_->Get("/v1/audit?order=desc&limit=50", admin_token_);
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.body.find(kSecretValue), std::string::npos);
    std::vector<boost::json::object> found;
    const boost::json::value json = reply.json();
    for (const auto& item : json.at("items").as_array()) {
      const auto& details = item.at("details");
      if (!details.is_object()) continue;
      const auto* id = details.as_object().if_contains("request_id");
      if (id && id->is_string() && id->as_string() == request_id) {
        found.push_back(item.as_object());
      }
    }
    return found;
  }

  void ExpectUnauthorized(const HttpReply& reply) {
    EXPECT_EQ(reply.status, 401) << reply.body;
    EXPECT_EQ(reply.content_type(), "application/problem+json");
    EXPECT_EQ(reply.body.find(kSecretValue), std::string::npos);
  }
  void ExpectForbidden(const HttpReply& reply) {
    EXPECT_EQ(reply.status, 403) << reply.body;
    EXPECT_EQ(reply.content_type(), "application/problem+json");
    EXPECT_EQ(reply.body.find(kSecretValue), std::string::npos);
  }
};

TEST_F(WorkloadAccessTest, OwnTokenWithReadScopeReadsTheValueAudited) {
  HttpReply reply = ReadSecret(Token(ScopeParam("secrets:read")));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json().at("value").as_string(), kSecretValue);
  EXPECT_EQ(reply.header("cache-control"), "no-store");
  auto records = AuditOf(reply.header("x-request-id"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("actor").as_string(), "client:" + id_);
  EXPECT_EQ(records[0].at("action").as_string(), "secret.read");
  EXPECT_EQ(records[0].at("outcome").as_string(), "ok");
}

TEST_F(WorkloadAccessTest, OwnTokenReadsAnOverlappingVersion) {
  HttpReply rotated =
      client_->Post("/v1/secrets/checkout-db/rotate", admin_token_,
                    boost::json::object{{"value", "second"}});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string token = Token(ScopeParam("secrets:read"));
  HttpReply old = ReadSecret(token, "?version=1");
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(old.json().at("value").as_string(), kSecretValue);
  EXPECT_EQ(old.json().at("state").as_string(), "inactive");
  HttpReply current = ReadSecret(token);
  ASSERT_EQ(current.status, 200) << current.body;
  EXPECT_EQ(current.json().at("value").as_string(), "second");
}

TEST_F(WorkloadAccessTest, AnotherIdentitysTokenIsForbiddenAndAudited) {
  HttpReply reply = ReadSecret(OtherToken("secrets:read"));
  ExpectForbidden(reply);
  auto records = AuditOf(reply.header("x-request-id"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("outcome").as_string(), "deny");
}

TEST_F(WorkloadAccessTest, TokenWithoutReadScopeIsForbidden) {
  HttpReply reply = ReadSecret(Token(ScopeParam("orders:read")));
  ExpectForbidden(reply);
  EXPECT_NE(reply.body.find("secrets:read"), std::string::npos) << reply.body;
}

TEST_F(WorkloadAccessTest, UnknownSecretIsRefusedLikeAForeignOne) {
  HttpReply reply = client_->Get("/v1/secrets/no-such-secret/value",
                                 Token(ScopeParam("secrets:read")));
  ExpectForbidden(reply);
}

TEST_F(WorkloadAccessTest, TokenForAnotherAudienceIsUnauthenticated) {
  const std::string token = Token(ScopeParam("secrets:read") +
                                  "&audience=https%3A%2F%2Fpayments.example");
  ASSERT_FALSE(token.empty());
  HttpReply reply = ReadSecret(token);
  ExpectUnauthorized(reply);
  EXPECT_GE(AuditRecordsFor(reply.header("x-request-id")), 1);
}

TEST_F(WorkloadAccessTest, RevokedTokenIsUnauthenticated) {
  const std::string token = Token(ScopeParam("secrets:read"));
  ASSERT_EQ(ReadSecret(token).status, 200);
  HttpReply revoked =
      client_->Send("POST", "/oauth/revoke", {}, "token=" + token,
                    BasicHeaders(id_, secret_));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  ExpectUnauthorized(ReadSecret(token));
  ExpectUnauthorized(RenewByToken(token));
}

TEST_F(WorkloadAccessTest, SuspendedIdentitysTokenIsUnauthenticated) {
  const std::string token =
      Token(ScopeParam("secrets:read certificates:renew"));
  ASSERT_EQ(ReadSecret(token).status, 200);
  HttpReply suspended =
      client_->Post("/v1/identities/" + id_ + "/suspend", admin_token_,
                    boost::json::object{{"reason", "incident 7"}});
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  ExpectUnauthorized(ReadSecret(token));
  ExpectUnauthorized(RenewByToken(token));
}

TEST_F(WorkloadAccessTest, ForgedTokensAreUnauthenticatedNotCrashes) {
  const std::string token = Token(ScopeParam("secrets:read"));
  const size_t a = token.find('.');
  const size_t b = token.find('.', a + 1);
  const std::string payload = token.substr(a + 1, b - a - 1);
  const std::string none_header =
      Base64UrlEncode(R"({"alg":"none","typ":"at+jwt"})");
  // alg none, with and without the original signature.
  ExpectUnauthorized(ReadSecret(none_header + "." + payload + "."));
  ExpectUnauthorized(ReadSecret(none_header + "." + payload + token.substr(b)));
  // A payload naming more scopes, signature kept.
  Result<std::string> claims = Base64UrlDecode(payload);
  ASSERT_TRUE(claims.ok());
  std::string widened = *claims;
  const size_t scope = widened.find("secrets:read");
  ASSERT_NE(scope, std::string::npos);
  widened.insert(scope, "certificates:renew ");
  ExpectUnauthorized(ReadSecret(token.substr(0, a) + "." +
                                Base64UrlEncode(widened) + token.substr(b)));
  // JWT-shaped garbage and a flipped signature byte.
  ExpectUnauthorized(ReadSecret("a.b.c"));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  ExpectUnauthorized(ReadSecret(flipped));
  // The server is still answering.
  EXPECT_EQ(ReadSecret(token).status, 200);
}

TEST_F(WorkloadAccessTest, WorkloadTokenOnOtherRoutesIsForbiddenAndAudited) {
  const std::string token =
      Token(ScopeParam("orders:read secrets:read certificates:renew"));
  const std::vector<std::pair<std::string, std::string>> calls = {
      {"GET", "/v1/identities"},
      {"GET", "/v1/identities/" + id_},
      {"GET", "/v1/secrets"},
      {"POST", "/v1/secrets/checkout-db/rotate"},
      {"POST", "/v1/identities/" + id_ + "/suspend"},
      {"GET", "/v1/certificates"},
      {"GET", "/v1/audit"},
      {"POST", "/v1/tokens"},
  };
  for (const auto& [method, path] : calls) {
    SCOPED_TRACE(method + " " + path);
    HttpReply reply = client_->Send(method, path, token, "{}");
    ExpectForbidden(reply);
    EXPECT_GE(AuditRecordsFor(reply.header("x-request-id")), 1);
  }
  // Issuing a certificate for itself goes through renewal, not here.
  HttpReply issue =
      client_->Send("POST", "/v1/certificates", token,
                    boost::json::serialize(boost::json::object{
                        {"identity", id_}, {"csr", FreshCsrPem()}}));
  ExpectForbidden(issue);
  // The identity is still active: nothing above took effect.
  HttpReply identity = client_->Get("/v1/identities/" + id_, admin_token_);
  EXPECT_EQ(identity.json().at("status").as_string(), "active");
}

TEST_F(WorkloadAccessTest, RenewalByTokenIssuesAnSvidForTheTokensIdentity) {
  HttpReply reply = RenewByToken(Token(ScopeParam("certificates:renew")));
  ASSERT_EQ(reply.status, 201) << reply.body;
  const boost::json::value json = reply.json();
  EXPECT_EQ(json.at("identity_id").as_string(), id_);
  EXPECT_EQ(json.at("spiffe_id").as_string(),
            "spiffe://warden.local/ns/production/sa/checkout-worker");
  EXPECT_EQ(json.at("issued_by").as_string(), "client:" + id_);
  EXPECT_NE(
      std::string(json.at("certificate").as_string()).find("BEGIN CERTIFICATE"),
      std::string::npos);
  auto records = AuditOf(reply.header("x-request-id"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("action").as_string(), "certificate.renew");
  EXPECT_EQ(records[0].at("outcome").as_string(), "ok");
  // Naming its own identity explicitly is the same request.
  HttpReply named = RenewByToken(Token(ScopeParam("certificates:renew")),
                                 {{"identity", "checkout-worker"}});
  EXPECT_EQ(named.status, 201) << named.body;
}

TEST_F(WorkloadAccessTest, RenewalByTokenRefusesOtherIdentitiesAndScopes) {
  ExpectForbidden(RenewByToken(Token(ScopeParam("secrets:read"))));
  const std::string other = OtherToken("certificates:renew");
  // Another identity's token cannot renew this identity...
  ExpectForbidden(RenewByToken(other, {{"identity", id_}}));
  ExpectForbidden(RenewByToken(other, {{"identity", "no-such-identity"}}));
  // ...and without naming one it renews only its own.
  HttpReply own = RenewByToken(other);
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_NE(own.json().at("identity_id").as_string(), id_);
  // Bad input is a 400, not a crash.
  HttpReply no_csr = client_->Send("POST", "/v1/certificates/renew",
                                   Token(ScopeParam("certificates:renew")),
                                   R"({"ttl_seconds": 60})");
  EXPECT_EQ(no_csr.status, 400) << no_csr.body;
  HttpReply bad_csr =
      RenewByToken(Token(ScopeParam("certificates:renew")), {{"csr", "nope"}});
  EXPECT_EQ(bad_csr.status, 400) << bad_csr.body;
}

TEST_F(WorkloadAccessTest, AnApiTokenOnTheRenewRouteIsNotACredential) {
  HttpReply reply = client_->Send(
      "POST", "/v1/certificates/renew", admin_token_,
      boost::json::serialize(boost::json::object{{"csr", FreshCsrPem()}}));
  EXPECT_EQ(reply.status, 400) << reply.body;  // certificate is required
}

TEST_F(WorkloadAccessTest, RenewalIsRateLimitedPerSource) {
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 40 && limited == 0; ++i) {
    HttpReply reply = client_->Send("POST", "/v1/certificates/renew", {}, "{}");
    if (reply.status == 429) {
      ++limited;
      retry_after = reply.header("retry-after");
      EXPECT_EQ(reply.content_type(), "application/problem+json");
    } else {
      EXPECT_EQ(reply.status, 400) << reply.body;
    }
  }
  EXPECT_EQ(limited, 1);
  EXPECT_FALSE(retry_after.empty());
}

}  // namespace
}  // namespace warden::testing_http
