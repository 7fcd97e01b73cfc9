// Every release-exposure route x every role: 403 exactly where the role
// table (authz/authorizer.cc) denies, and never for an allowed role.
// Resources exist beforehand, so a denial cannot hide behind a 404.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "../integration/server_fixture.h"

namespace warden::testing_http {
namespace {

// deploy is last and denied on every route here: each `allowed` string
// below ends before its column, so allowed[6] is the terminator ('\0').
constexpr const char* kRoles[] = {"admin",     "security", "account_manager",
                                  "app_owner", "auditor",  "sdk",
                                  "deploy"};

struct RouteCase {
  const char* method;
  std::string target;  // "{role}" is replaced by the role name
  std::string body;
  const char* allowed;  // one char per kRoles entry: 'Y' allowed, '.' 403
};

std::string FlagBody(const std::string& key) {
  return boost::json::serialize(
      boost::json::object{{"key", key},
                          {"variants", {{"on", true}, {"off", false}}},
                          {"default_variant", "on"},
                          {"owner_team", "payments"}});
}

constexpr char kImport[] =
    R"({"flags": {"imported": {"state": "ENABLED",
        "variants": {"on": true, "off": false}, "defaultVariant": "on"}}})";

// Import bodies that change the environment's shared flag-set state: each
// role sends different content ("{role}"), so no caller merely repeats
// what the previous one stored. Only flag_set.write (admin) may.
constexpr char kImportEmpty[] = R"({"flags": {}})";
constexpr char kImportEvaluators[] =
    R"({"flags": {}, "$evaluators": {"is-{role}": {"==": [1, 1]}}})";
constexpr char kImportMetadata[] =
    R"({"flags": {}, "metadata": {"owner": "{role}"}})";
constexpr char kImportBoth[] =
    R"({"flags": {}, "$evaluators": {"both-{role}": {"==": [1, 1]}},
        "metadata": {"both": "{role}"}})";
// An app_owner's own flag does not carry shared state along with it.
constexpr char kImportOwnFlagAndEvaluators[] =
    R"({"flags": {"own-{role}": {"state": "ENABLED",
        "variants": {"on": true, "off": false}, "defaultVariant": "on",
        "metadata": {"owner": "payments"}}},
        "$evaluators": {"own-{role}": {"==": [1, 1]}}})";

class ExposureRouteAuthzTest : public ServerFixture {
 protected:
  void Seed() {
    auto post = [&](const std::string& target, const std::string& body) {
      HttpReply reply = client_->Send("POST", target, admin_token_, body);
      EXPECT_TRUE(reply.status == 201 || reply.status == 200)
          << target << ": " << reply.body;
      return reply;
    };
    post("/v1/flags?environment=production", FlagBody("checkout"));
    for (const char* role : kRoles) {
      post("/v1/flags?environment=production",
           FlagBody(std::string("del-") + role));
    }
    post("/v1/tenants", R"({"key": "acme"})");
    post("/v1/segments", R"({"key": "canary"})");
    HttpReply limit = post("/v1/limits",
                           R"({"scope": "tenant", "values": ["acme"],
                               "reason": "seed"})");
    limit_id_ = std::string(limit.json().at("id").as_string());
  }

  std::vector<RouteCase> Cases() const {
    const std::string lift = "/v1/limits/" + limit_id_ + "/lift";
    return {
        {"GET", "/v1/environments", "", "YYYYY."},
        {"GET", "/v1/flags?environment=production", "", "YYYYY."},
        {"POST", "/v1/flags?environment=production", FlagBody("new-{role}"),
         "Y..Y.."},
        {"GET", "/v1/flags/production/checkout", "", "YYYYY."},
        {"PUT", "/v1/flags/production/checkout", FlagBody("checkout"),
         "Y..Y.."},
        {"PATCH", "/v1/flags/production/checkout", R"({"description": "d"})",
         "Y..Y.."},
        {"DELETE", "/v1/flags/production/del-{role}", "", "Y..Y.."},
        {"POST", "/v1/flags/import?environment=staging", kImport, "Y....."},
        {"POST", "/v1/flags/import?environment=staging", kImportEmpty,
         "Y..Y.."},
        {"POST", "/v1/flags/import?environment=staging", kImportEvaluators,
         "Y....."},
        {"POST", "/v1/flags/import?environment=staging", kImportMetadata,
         "Y....."},
        {"POST", "/v1/flags/import?environment=staging", kImportBoth, "Y....."},
        {"POST", "/v1/flags/import?environment=staging",
         kImportOwnFlagAndEvaluators, "Y....."},
        {"GET", "/v1/flags/export?environment=production", "", "YYYYY."},
        {"GET", "/v1/tenants", "", "YYYYY."},
        {"POST", "/v1/tenants", R"({"key": "t-{role}"})", "Y....."},
        {"GET", "/v1/tenants/acme", "", "YYYYY."},
        {"PATCH", "/v1/tenants/acme", R"({"name": "Acme"})", "Y....."},
        {"GET", "/v1/tenants/acme/exposure", "", "YYYYY."},
        {"GET", "/v1/tenants/acme/exposure?environment=staging", "", "YYYYY."},
        {"GET", "/v1/segments", "", "YYYYY."},
        {"POST", "/v1/segments", R"({"key": "s-{role}"})", "Y....."},
        {"GET", "/v1/segments/canary", "", "YYYYY."},
        {"PATCH", "/v1/segments/canary", R"({"description": "d"})", "Y....."},
        {"POST", "/v1/segments/canary/tenants", R"({"tenants": ["a"]})",
         "Y....."},
        {"GET", "/v1/limits?status=all", "", "YYYYY."},
        {"POST", "/v1/limits",
         R"({"scope": "tenant", "values": ["acme"], "reason": "r"})", "YY...."},
        // Every scope is a kill switch on shared exposure: each shape.
        {"POST", "/v1/limits",
         R"({"scope": "integration", "values": ["sap"], "reason": "r"})",
         "YY...."},
        {"POST", "/v1/limits",
         R"({"scope": "account_owner", "values": ["someone"], "reason": "r"})",
         "YY...."},
        {"POST", "/v1/limits",
         R"({"scope": "segment", "values": ["canary"], "reason": "r"})",
         "YY...."},
        {"POST", "/v1/limits",
         R"({"scope": "flags", "flags": ["checkout"], "reason": "r"})",
         "YY...."},
        // The preview is refused exactly as the limit it previews.
        {"POST", "/v1/limits/preview",
         R"({"scope": "tenant", "values": ["acme"], "reason": "r"})", "YY...."},
        {"POST", "/v1/limits/preview",
         R"({"scope": "flags", "flags": ["checkout"], "reason": "r"})",
         "YY...."},
        {"GET", "/v1/limits/" + limit_id_, "", "YYYYY."},
        {"POST", lift, R"({"reason": "r"})", "YY...."},
    };
  }

  std::string limit_id_;
};

std::string WithRole(std::string text, const std::string& role) {
  for (size_t at = text.find("{role}"); at != std::string::npos;
       at = text.find("{role}")) {
    text.replace(at, 6, role);
  }
  return text;
}

TEST_F(ExposureRouteAuthzTest, EveryRouteAndRoleMatchesTheTable) {
  CreateTeam("payments");
  Seed();
  std::vector<std::string> tokens;
  for (const char* role : kRoles) {
    tokens.push_back(
        std::string(role) == "admin"
            ? admin_token_
            : CreateToken(role,
                          std::string(role) == "app_owner" ? "payments" : "",
                          std::string(role) == "sdk" ? "production" : ""));
  }
  for (const RouteCase& route : Cases()) {
    for (size_t r = 0; r < std::size(kRoles); ++r) {
      const std::string role = kRoles[r];
      const std::string target = WithRole(route.target, role);
      SCOPED_TRACE(role + " " + route.method + " " + target);
      HttpReply reply = client_->Send(route.method, target, tokens[r],
                                      WithRole(route.body, role));
      if (route.allowed[r] == 'Y') {
        EXPECT_NE(reply.status, 403) << reply.body;
        EXPECT_LT(reply.status, 500) << reply.body;
      } else {
        EXPECT_EQ(reply.status, 403) << reply.body;
        EXPECT_EQ(reply.header("content-type"), "application/problem+json");
        EXPECT_GE(AuditRecordsFor(reply.header("x-request-id")), 1)
            << "refusal not audited";
      }
    }
  }
}

// An import that would rewrite the shared $evaluators or
// flag-set metadata is refused before anything changes, as a 403 problem
// with its audit record, for every role without flag_set.write.
TEST_F(ExposureRouteAuthzTest, SharedFlagSetRefusalIsAnAuditedProblem) {
  CreateTeam("payments");
  const std::string target = "/v1/flags/import?environment=staging";
  for (const char* role :
       {"security", "account_manager", "app_owner", "auditor", "sdk"}) {
    SCOPED_TRACE(role);
    const std::string token =
        CreateToken(role, std::string(role) == "app_owner" ? "payments" : "",
                    std::string(role) == "sdk" ? "staging" : "");
    HttpReply reply =
        client_->Send("POST", target, token, WithRole(kImportBoth, role));
    ASSERT_EQ(reply.status, 403) << reply.body;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json");
    EXPECT_EQ(reply.json().at("type").as_string(),
              "urn:warden:problem:permission-denied");
    EXPECT_EQ(AuditRecordsFor(reply.header("x-request-id")), 1);
  }
  HttpReply exported =
      client_->Get("/v1/flags/export?environment=staging", admin_token_);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.json().as_object().count("$evaluators"), 0u)
      << exported.body;
  EXPECT_EQ(exported.json().as_object().count("metadata"), 0u) << exported.body;
}

TEST_F(ExposureRouteAuthzTest, UnauthenticatedIsRefused) {
  EXPECT_EQ(client_->Get("/v1/flags?environment=production").status, 401);
  EXPECT_EQ(client_->Get("/v1/limits").status, 401);
}

}  // namespace
}  // namespace warden::testing_http
