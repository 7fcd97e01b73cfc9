// OFREP 0.3.0 end to end: typed single evaluations, every error status,
// bulk with ETag/If-None-Match, credentials (X-API-Key, bearer, roles,
// environments), tenant-bound tokens, LIMITED with the limit id, cache
// invalidation on revocation, and one audit record per token cache fill.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "../integration/server_fixture.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

constexpr char kFlagd[] = R"({"flags": {
  "dark-mode": {"state": "ENABLED", "variants": {"on": true, "off": false},
                "defaultVariant": "off",
                "targeting": {"if": [{"==": [{"var": "targetingKey"}, "acme"]}, "on", null]}},
  "banner": {"state": "ENABLED", "variants": {"a": "hello", "b": "bye"},
             "defaultVariant": "a"},
  "max-items": {"state": "ENABLED", "variants": {"small": 10, "big": 100},
                "defaultVariant": "big"},
  "theme": {"state": "ENABLED",
            "variants": {"light": {"bg": "white"}, "dark": {"bg": "black"}},
            "defaultVariant": "dark"},
  "legacy": {"state": "DISABLED", "variants": {"on": true, "off": false},
             "defaultVariant": "on"},
  "broken": {"state": "ENABLED", "variants": {"on": true, "off": false},
             "defaultVariant": "off", "targeting": {"var": "plan"}}}})";

class OfrepApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    HttpReply imported =
        client_->Send("POST", "/v1/flags/import?environment=development",
                      admin_token_, kFlagd);
    ASSERT_EQ(imported.status, 200) << imported.body;
    sdk_token_ = CreateToken("sdk", "", "development");
  }

  HttpReply Evaluate(const std::string& key, const std::string& body,
                     const std::string& token) {
    return client_->Send("POST", "/ofrep/v1/evaluate/flags/" + key, {}, body,
                         {{"X-API-Key", token}});
  }
  HttpReply Evaluate(const std::string& key, const std::string& body = "{}") {
    return Evaluate(key, body, sdk_token_);
  }

  std::string sdk_token_;
};

TEST_F(OfrepApiTest, EvaluatesEveryType) {
  HttpReply on =
      Evaluate("dark-mode", R"({"context":{"targetingKey":"acme"}})");
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(on.json().at("value"), json::value(true));
  EXPECT_EQ(on.json().at("variant").as_string(), "on");
  EXPECT_EQ(on.json().at("reason").as_string(), "TARGETING_MATCH");
  EXPECT_EQ(on.json().at("key").as_string(), "dark-mode");
  EXPECT_TRUE(on.json().at("metadata").is_object());

  HttpReply off = Evaluate("dark-mode", R"({"context":{"targetingKey":"x"}})");
  EXPECT_EQ(off.json().at("value"), json::value(false));
  EXPECT_EQ(off.json().at("reason").as_string(), "DEFAULT");

  HttpReply text = Evaluate("banner");
  EXPECT_EQ(text.json().at("value").as_string(), "hello");
  EXPECT_EQ(text.json().at("reason").as_string(), "STATIC");
  EXPECT_EQ(Evaluate("max-items").json().at("value").to_number<int64_t>(), 100);
  EXPECT_EQ(Evaluate("theme").json().at("value").at("bg").as_string(), "black");
}

// A tenant-bound token's claimed attributes do not beat
// its tenant's stored ones, so claiming {"region": "us"} does not escape a
// limit on the segment of region "eu".
TEST_F(OfrepApiTest, TenantBoundClaimsCannotEscapeASegmentLimit) {
  ASSERT_EQ(client_
                ->Send("POST", "/v1/tenants", admin_token_,
                       R"({"key": "acme", "attributes": {"region": "eu"}})")
                .status,
            201);
  HttpReply segment = client_->Send(
      "POST", "/v1/segments", admin_token_,
      R"({"key": "eu", "rules": [{"attribute": "region", "op": "equals",
          "value": "eu"}]})");
  ASSERT_EQ(segment.status, 201) << segment.body;
  HttpReply limit =
      client_->Post("/v1/limits", admin_token_,
                    json::object{{"scope", "segment"},
                                 {"values", {"eu"}},
                                 {"flags", {"dark-mode"}},
                                 {"reason", "eu data-residency incident"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  const std::string claim =
      R"({"context": {"targetingKey": "acme", "region": "us"}})";
  HttpReply bound = Evaluate("dark-mode", claim, CreateTenantToken("acme"));
  ASSERT_EQ(bound.status, 200) << bound.body;
  EXPECT_EQ(bound.json().at("reason").as_string(), "LIMITED") << bound.body;
  // A server-side token is trusted with the context (documented precedence).
  HttpReply server = Evaluate("dark-mode", claim);
  EXPECT_EQ(server.json().at("reason").as_string(), "TARGETING_MATCH")
      << server.body;
}

TEST_F(OfrepApiTest, ErrorsHaveTheSpecifiedStatusAndShape) {
  HttpReply missing = Evaluate("nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json().at("errorCode").as_string(), "FLAG_NOT_FOUND");
  EXPECT_EQ(missing.json().at("key").as_string(), "nope");

  HttpReply parse = Evaluate("banner", "{not json");
  EXPECT_EQ(parse.status, 400);
  EXPECT_EQ(parse.json().at("errorCode").as_string(), "PARSE_ERROR");

  HttpReply context = Evaluate("banner", R"({"context": 5})");
  EXPECT_EQ(context.status, 400);
  EXPECT_EQ(context.json().at("errorCode").as_string(), "INVALID_CONTEXT");
  HttpReply key = Evaluate("banner", R"({"context": {"targetingKey": 7}})");
  EXPECT_EQ(key.json().at("errorCode").as_string(), "INVALID_CONTEXT");

  HttpReply general = Evaluate("broken", R"({"context": {"plan": 5}})");
  EXPECT_EQ(general.status, 400) << general.body;
  EXPECT_EQ(general.json().at("errorCode").as_string(), "GENERAL");
}

TEST_F(OfrepApiTest, DisabledFlagIs200WithoutValue) {
  HttpReply reply = Evaluate("legacy");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json().at("reason").as_string(), "DISABLED");
  EXPECT_EQ(reply.json().as_object().if_contains("value"), nullptr);
}

TEST_F(OfrepApiTest, CredentialsRolesAndEnvironments) {
  EXPECT_EQ(
      client_->Send("POST", "/ofrep/v1/evaluate/flags/banner", {}, "{}").status,
      401);
  EXPECT_EQ(Evaluate("banner", "{}", "wdn_forged").status, 401);
  HttpReply bearer = client_->Send("POST", "/ofrep/v1/evaluate/flags/banner",
                                   sdk_token_, "{}");
  EXPECT_EQ(bearer.status, 200) << bearer.body;
  EXPECT_EQ(Evaluate("banner", "{}", CreateToken("auditor")).status, 403);
  // Admin: environment from the query, default development.
  EXPECT_EQ(Evaluate("banner", "{}", admin_token_).status, 200);
  HttpReply staging = client_->Send(
      "POST", "/ofrep/v1/evaluate/flags/banner?environment=staging", {}, "{}",
      {{"X-API-Key", admin_token_}});
  EXPECT_EQ(staging.status, 404) << staging.body;  // not imported there
  HttpReply other = client_->Send(
      "POST", "/ofrep/v1/evaluate/flags/banner?environment=production", {},
      "{}", {{"X-API-Key", sdk_token_}});
  EXPECT_EQ(other.status, 403) << other.body;
  // Issue 16: the refusal names the token's environment and the asked one.
  EXPECT_EQ(other.json().at("detail").as_string(),
            "the sdk token is bound to environment development; the client "
            "asked for production");
}

TEST_F(OfrepApiTest, BulkAnswersWithEtagAnd304) {
  HttpReply bulk =
      client_->Send("POST", "/ofrep/v1/evaluate/flags", {},
                    R"({"context":{"targetingKey":"acme","plan":5}})",
                    {{"X-API-Key", sdk_token_}});
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  const json::value body = bulk.json();
  const json::array& flags = body.at("flags").as_array();
  EXPECT_EQ(flags.size(), 6u);
  bool saw_error = false;
  for (const auto& flag : flags) {
    if (flag.at("key").as_string() == "broken") {
      saw_error = true;
      EXPECT_TRUE(flag.as_object().contains("errorCode"));
    }
  }
  EXPECT_TRUE(saw_error);
  const std::string etag = bulk.header("etag");
  ASSERT_FALSE(etag.empty());
  HttpReply again =
      client_->Send("POST", "/ofrep/v1/evaluate/flags", {},
                    R"({"context":{"targetingKey":"acme","plan":5}})",
                    {{"X-API-Key", sdk_token_}, {"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  HttpReply other =
      client_->Send("POST", "/ofrep/v1/evaluate/flags", {},
                    R"({"context":{"targetingKey":"zzz"}})",
                    {{"X-API-Key", sdk_token_}, {"If-None-Match", etag}});
  EXPECT_EQ(other.status, 200);
  HttpReply bad = client_->Send("POST", "/ofrep/v1/evaluate/flags", {}, "[",
                                {{"X-API-Key", sdk_token_}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().at("errorCode").as_string(), "PARSE_ERROR");
}

TEST_F(OfrepApiTest, LimitedEvaluationNamesTheLimit) {
  HttpReply limit = client_->Post(
      "/v1/limits", admin_token_,
      json::object{
          {"scope", "tenant"}, {"values", {"acme"}}, {"reason", "incident"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  HttpReply limited =
      Evaluate("dark-mode", R"({"context":{"targetingKey":"acme"}})");
  ASSERT_EQ(limited.status, 200) << limited.body;
  EXPECT_EQ(limited.json().at("reason").as_string(), "LIMITED");
  EXPECT_EQ(limited.json().at("value"), json::value(false));
  EXPECT_EQ(limited.json().at("metadata").at("limitId"), limit.json().at("id"));
  HttpReply other = Evaluate("banner", R"({"context":{"targetingKey":"b"}})");
  EXPECT_EQ(other.json().at("reason").as_string(), "STATIC");
}

TEST_F(OfrepApiTest, TenantBoundTokenIgnoresTheClaimedTenant) {
  HttpReply token = client_->Post("/v1/tokens", admin_token_,
                                  json::object{{"role", "sdk"},
                                               {"environment", "development"},
                                               {"tenant", "other"}});
  ASSERT_EQ(token.status, 201) << token.body;
  const std::string secret(token.json().at("token").as_string());
  HttpReply reply =
      Evaluate("dark-mode", R"({"context":{"targetingKey":"acme"}})", secret);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json().at("value"), json::value(false));
  EXPECT_EQ(reply.json().at("reason").as_string(), "DEFAULT");
}

TEST_F(OfrepApiTest, RevokedTokenIsRefusedAtOnce) {
  HttpReply token = client_->Post(
      "/v1/tokens", admin_token_,
      json::object{{"role", "sdk"}, {"environment", "development"}});
  ASSERT_EQ(token.status, 201) << token.body;
  const std::string secret(token.json().at("token").as_string());
  const std::string id(token.json().at("id").as_string());
  ASSERT_EQ(Evaluate("banner", "{}", secret).status, 200);
  HttpReply revoked = client_->Post("/v1/tokens/" + id + "/revoke",
                                    admin_token_, json::object{});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Evaluate("banner", "{}", secret).status, 401);
}

TEST_F(OfrepApiTest, AuditsOncePerTokenCacheFill) {
  HttpReply first = Evaluate("banner");
  HttpReply second = Evaluate("banner");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(AuditRecordsFor(first.header("x-request-id")), 1);
  EXPECT_EQ(AuditRecordsFor(second.header("x-request-id")), 0);
}

// Each token has its own bucket (1/s, burst 2): the third quick evaluation
// of one token is refused with 429 and Retry-After; another token is not.
class OfrepRateLimitTest : public OfrepApiTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.ofrep_token_rate = 1;
  }
};

TEST_F(OfrepRateLimitTest, ExhaustedTokenGets429WithRetryAfter) {
  EXPECT_EQ(Evaluate("banner").status, 200);
  EXPECT_EQ(Evaluate("banner").status, 200);
  HttpReply limited = Evaluate("banner");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_GE(std::stoi(limited.header("retry-after")), 1);
  HttpReply bulk = client_->Send("POST", "/ofrep/v1/evaluate/flags", {}, "{}",
                                 {{"X-API-Key", sdk_token_}});
  EXPECT_EQ(bulk.status, 429);

  std::string other = CreateToken("sdk", "", "development");
  EXPECT_EQ(Evaluate("banner", "{}", other).status, 200);
}

}  // namespace
}  // namespace warden::testing_http
