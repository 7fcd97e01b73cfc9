// End-to-end over real HTTP: identity lifecycle, filters and paging, the
// problem+json answer of every bad-input class, keep-alive, operational
// endpoints.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <set>

#include "server_fixture.h"

namespace warden::testing_http {
namespace {

constexpr char kProblemJson[] = "application/problem+json";

std::string Type(const std::string& slug) {
  return "urn:warden:problem:" + slug;
}

class ApiTest : public ServerFixture {
 protected:
  // Asserts status, content type, stable type, and the request id echo.
  void ExpectProblem(const HttpReply& reply, int status,
                     const std::string& slug) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.content_type(), kProblemJson) << reply.body;
    EXPECT_EQ(reply.problem_type(), Type(slug)) << reply.body;
    boost::json::value json = reply.json();
    ASSERT_TRUE(json.is_object());
    EXPECT_EQ(json.at("status").as_int64(), status);
    EXPECT_FALSE(reply.header("x-request-id").empty());
    EXPECT_EQ(json.at("request_id").as_string(), reply.header("x-request-id"));
  }
};

TEST_F(ApiTest, IdentityLifecycleEndToEnd) {
  CreateTeam("payments");
  HttpReply created =
      client_->Post("/v1/identities", admin_token_,
                    IdentityBody("checkout-worker", "payments", "production"));
  ASSERT_EQ(created.status, 201) << created.body;
  boost::json::object identity = created.json().as_object();
  const std::string id(identity.at("id").as_string());
  EXPECT_EQ(identity.at("status").as_string(), "active");
  EXPECT_EQ(identity.at("owner").as_string(), "payments");
  EXPECT_EQ(identity.at("version").as_int64(), 1);
  EXPECT_EQ(created.header("location"), "/v1/identities/" + id);

  HttpReply got = client_->Get("/v1/identities/" + id, admin_token_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json().at("name").as_string(), "checkout-worker");
  EXPECT_EQ(got.header("etag"), "\"1\"");

  // Optimistic concurrency: a stale If-Match is refused.
  HttpReply stale =
      client_->Send("PATCH", "/v1/identities/" + id, admin_token_,
                    R"({"application": "billing"})", {{"If-Match", "\"7\""}});
  ExpectProblem(stale, 409, "version-conflict");
  HttpReply patched =
      client_->Send("PATCH", "/v1/identities/" + id, admin_token_,
                    R"({"application": "billing"})", {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json().at("application").as_string(), "billing");
  EXPECT_EQ(patched.json().at("version").as_int64(), 2);

  HttpReply suspended =
      client_->Post("/v1/identities/" + id + "/suspend", admin_token_,
                    boost::json::object{{"reason", "incident 42"}});
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(suspended.json().at("status").as_string(), "suspended");
  EXPECT_EQ(suspended.json().at("status_reason").as_string(), "incident 42");

  HttpReply resumed = client_->Post("/v1/identities/" + id + "/resume",
                                    admin_token_, boost::json::object{});
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json().at("status").as_string(), "active");

  HttpReply revoked =
      client_->Post("/v1/identities/" + id + "/revoke", admin_token_,
                    boost::json::object{{"reason", "decommissioned"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(revoked.json().at("status").as_string(), "revoked");

  // Revoked is terminal.
  HttpReply again = client_->Post("/v1/identities/" + id + "/resume",
                                  admin_token_, boost::json::object{});
  ExpectProblem(again, 409, "illegal-transition");

  // Every step left an audit record for this identity.
  HttpReply audit = client_->Get(
      "/v1/audit?target=identity/" + id + "&order=asc&limit=100", admin_token_);
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::set<std::string> actions;
  const boost::json::value audit_json = audit.json();
  for (const auto& item : audit_json.at("items").as_array()) {
    actions.insert(std::string(item.at("action").as_string()));
  }
  for (const char* action :
       {"identity.create", "identity.read", "identity.update",
        "identity.suspend", "identity.resume", "identity.revoke"}) {
    EXPECT_TRUE(actions.count(action)) << action << " in " << audit.body;
  }

  HttpReply export_reply =
      client_->Get("/v1/audit/export?target=identity/" + id, admin_token_);
  ASSERT_EQ(export_reply.status, 200);
  EXPECT_EQ(export_reply.content_type(), "application/x-ndjson");
  EXPECT_GE(
      std::count(export_reply.body.begin(), export_reply.body.end(), '\n'), 6);
}

TEST_F(ApiTest, ListFiltersAndCursorPaging) {
  CreateTeam("payments");
  CreateTeam("search");
  std::set<std::string> all;
  for (int i = 0; i < 5; ++i) {
    auto identity = CreateIdentity("pay-" + std::to_string(i), "payments",
                                   i % 2 ? "production" : "staging");
    all.insert(std::string(identity.at("id").as_string()));
  }
  CreateIdentity("indexer", "search");

  HttpReply prod = client_->Get(
      "/v1/identities?owner=payments&environment=production", admin_token_);
  ASSERT_EQ(prod.status, 200) << prod.body;
  EXPECT_EQ(prod.json().at("items").as_array().size(), 2u);

  HttpReply by_name = client_->Get("/v1/identities?q=INDEX", admin_token_);
  ASSERT_EQ(by_name.status, 200) << by_name.body;
  ASSERT_EQ(by_name.json().at("items").as_array().size(), 1u);

  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    std::string target = "/v1/identities?owner=payments&limit=2";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    HttpReply page = client_->Get(target, admin_token_);
    ASSERT_EQ(page.status, 200) << page.body;
    const boost::json::value page_json = page.json();
    for (const auto& item : page_json.at("items").as_array()) {
      EXPECT_TRUE(seen.insert(std::string(item.at("id").as_string())).second);
    }
    const boost::json::value next = page_json.at("next_cursor");
    cursor = next.is_string() ? std::string(next.as_string()) : "";
    ASSERT_LT(++pages, 10);
  } while (!cursor.empty());
  EXPECT_EQ(seen, all);
}

TEST_F(ApiTest, TenantListPagesWhenAsked) {
  for (const char* key : {"acme", "acme-labs", "globex"}) {
    HttpReply created =
        client_->Post("/v1/tenants", admin_token_,
                      boost::json::object{{"key", key}, {"name", key}});
    ASSERT_EQ(created.status, 201) << created.body;
  }
  // No parameters: every tenant, as before paging existed.
  EXPECT_EQ(client_->Get("/v1/tenants", admin_token_)
                .json()
                .at("items")
                .as_array()
                .size(),
            3u);
  HttpReply first = client_->Get("/v1/tenants?q=acme&limit=1", admin_token_);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json().at("items").as_array().size(), 1u);
  const std::string cursor(first.json().at("next_cursor").as_string());
  HttpReply second =
      client_->Get("/v1/tenants?q=acme&limit=1&cursor=" + cursor, admin_token_);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json().at("items").at(0).at("key"), "acme-labs");
  EXPECT_TRUE(second.json().at("next_cursor").is_null());
  EXPECT_EQ(client_->Get("/v1/tenants?limit=0", admin_token_).status, 400);
  EXPECT_EQ(client_->Get("/v1/tenants?sort=x", admin_token_).status, 400);
}

TEST_F(ApiTest, BadInputIsAlwaysProblemJson4xx) {
  CreateTeam("payments");
  ExpectProblem(client_->Send("POST", "/v1/teams", admin_token_, "{\"name\":"),
                400, "malformed-json");
  ExpectProblem(client_->Send("POST", "/v1/teams", admin_token_, "[]"), 400,
                "wrong-type");
  HttpReply wrong = client_->Send("POST", "/v1/teams", admin_token_,
                                  R"({"name": "x", "members": ["a", 7]})");
  ExpectProblem(wrong, 400, "wrong-type");
  EXPECT_NE(wrong.json().at("detail").as_string().find("members[1]"),
            std::string::npos);
  ExpectProblem(client_->Send("POST", "/v1/teams", admin_token_,
                              R"({"name": "x", "colour": "red"})"),
                400, "unknown-field");
  ExpectProblem(
      client_->Send("POST", "/v1/identities", admin_token_, R"({"name": "x"})"),
      400, "missing-field");
  ExpectProblem(client_->Get("/v1/identities?limit=0", admin_token_), 400,
                "bad-query-parameter");
  ExpectProblem(client_->Get("/v1/identities?environment=moon", admin_token_),
                400, "bad-query-parameter");
  ExpectProblem(client_->Get("/v1/identities?colour=red", admin_token_), 400,
                "bad-query-parameter");
  ExpectProblem(client_->Get("/v1/identities?cursor=zzz", admin_token_), 400,
                "bad-query-parameter");
  ExpectProblem(
      client_->Get("/v1/identities?expiring_before=tomorrow", admin_token_),
      400, "bad-query-parameter");
  ExpectProblem(client_->Get("/v1/audit?order=sideways", admin_token_), 400,
                "bad-query-parameter");
  // Conflicts.
  ExpectProblem(client_->Post("/v1/teams", admin_token_,
                              boost::json::object{{"name", "payments"}}),
                409, "already-exists");
  // Unknown resources and routes.
  ExpectProblem(client_->Get("/v1/teams/nope", admin_token_), 404, "not-found");
  ExpectProblem(client_->Get("/v1/nothing-here", admin_token_), 404,
                "not-found");
  HttpReply method = client_->Send("DELETE", "/v1/identities", admin_token_);
  ExpectProblem(method, 405, "method-not-allowed");
  EXPECT_EQ(method.header("allow"), "GET, POST");
}

TEST_F(ApiTest, AuthenticationAndAuthorizationProblems) {
  HttpReply none = client_->Get("/v1/teams");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.content_type(), kProblemJson);
  EXPECT_EQ(none.problem_type(), Type("unauthenticated"));
  EXPECT_EQ(none.header("www-authenticate").rfind("Bearer", 0), 0u);
  HttpReply bad = client_->Get("/v1/teams", "wdn_not-a-real-token");
  EXPECT_EQ(bad.status, 401);
  std::string auditor = CreateToken("auditor");
  HttpReply denied =
      client_->Post("/v1/teams", auditor, boost::json::object{{"name", "x"}});
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(denied.problem_type(), Type("permission-denied"));
}

TEST_F(ApiTest, OversizedBodyIs413) {
  std::string big(2 * 1024 * 1024, 'x');
  HttpReply reply = client_->Send("POST", "/v1/teams", admin_token_, big);
  ExpectProblem(reply, 413, "payload-too-large");
  // The server is still fine afterwards.
  EXPECT_EQ(client_->Get("/healthz").status, 200);
}

TEST_F(ApiTest, MalformedHttpIs400AndHugeHeaderIs431) {
  HttpReply garbage = client_->SendRaw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(garbage.status, 400) << garbage.error;
  EXPECT_EQ(garbage.content_type(), kProblemJson);
  std::string huge = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                     std::string(16 * 1024, 'a') + "\r\n\r\n";
  HttpReply header = client_->SendRaw(huge);
  EXPECT_EQ(header.status, 431) << header.error;
}

TEST_F(ApiTest, KeepAliveServesManyRequestsOnOneConnection) {
  HttpClient client(app_->port());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(client.Get("/v1/teams", admin_token_).status, 200);
    EXPECT_EQ(client.Get("/healthz").status, 200);
  }
  // Error answers keep the connection too.
  EXPECT_EQ(client.Get("/v1/teams/nope", admin_token_).status, 404);
  EXPECT_EQ(client.Get("/healthz").status, 200);
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ApiTest, OperationalEndpointsNeedNoAuth) {
  EXPECT_EQ(client_->Get("/healthz").status, 200);
  EXPECT_EQ(client_->Get("/readyz").status, 200);
  EXPECT_EQ(client_->Get("/v1/teams", admin_token_).status, 200);
  HttpReply metrics = client_->Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type().rfind("text/plain", 0), 0u);
  EXPECT_NE(metrics.body.find("warden_http_requests_total{route=\"/v1/teams\","
                              "method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("warden_store_commit_duration_seconds_count"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("warden_store_commit_units_bucket"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("warden_store_read_duration_seconds_count"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("warden_http_request_duration_seconds_bucket{"
                              "route=\"/healthz\""),
            std::string::npos);
}

TEST_F(ApiTest, TokenSecretIsShownOnceAndWorks) {
  HttpReply created = client_->Post(
      "/v1/tokens", admin_token_,
      boost::json::object{{"role", "auditor"}, {"description", "ci"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string secret(created.json().at("token").as_string());
  EXPECT_EQ(secret.rfind("wdn_", 0), 0u);
  EXPECT_EQ(client_->Get("/v1/teams", secret).status, 200);
  HttpReply listed = client_->Get("/v1/tokens", admin_token_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find(secret), std::string::npos);
  EXPECT_EQ(listed.body.find("secret_hash"), std::string::npos);
  std::string id(created.json().at("id").as_string());
  EXPECT_EQ(client_
                ->Post("/v1/tokens/" + id + "/revoke", admin_token_,
                       boost::json::object{})
                .status,
            200);
  EXPECT_EQ(client_->Get("/v1/teams", secret).status, 401);
}

}  // namespace
}  // namespace warden::testing_http
