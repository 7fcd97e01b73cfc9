// Every access-policy and AuthZEN route x every caller kind: allowed
// exactly where the role table (authz/authorizer.cc) and the workload
// scope "access:evaluate" allow, 403 elsewhere (401 without a token), and
// every decision audited: refusals at once with their request id, allowed
// decisions in the periodic summaries (service/audit_summary_recorder.h).
#include <gtest/gtest.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <thread>

#include "server_fixture.h"

namespace warden::testing_http {
namespace {

enum Caller {
  kAdmin,
  kSecurity,
  kAccountManager,
  kAppOwner,
  kAuditor,
  kSdk,
  kDeploy,
  kWorkloadWithoutScope,
  kWorkloadWithScope,
  kNoToken,
  kCallerCount
};
constexpr std::array<const char*, kCallerCount> kCallerNames = {
    "admin", "security", "account_manager",   "app_owner",        "auditor",
    "sdk",   "deploy",   "workload(secrets)", "workload(access)", "no_token"};

using Allow = std::array<int, kCallerCount>;
// admin security acct_mgr owner auditor sdk deploy wl wl+scope none
constexpr Allow kPolicyReader = {1, 1, 0, 1, 1, 0, 0, 0, 0, 0};
constexpr Allow kPolicyWriter = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0};
constexpr Allow kDecisionAsker = {1, 1, 0, 0, 0, 1, 0, 0, 1, 0};

struct Row {
  std::string method;
  std::string path;  // a concrete path of the route
  std::string pattern;
  Allow allow;
  std::string body;
};

constexpr char kEvaluation[] =
    R"({"subject":{"type":"user","id":"ann"},"action":{"name":"read"},
        "resource":{"type":"doc","id":"d1"}})";

bool IsAccessRoute(const std::string& pattern) {
  return pattern.rfind("/v1/access/", 0) == 0 ||
         pattern.rfind("/access/v1/", 0) == 0;
}

class AccessRouteAuthzTest : public ServerFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.audit_summary_period = std::chrono::milliseconds(50);
  }

  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateTeam("team-a");
    tokens_[kAdmin] = admin_token_;
    tokens_[kSecurity] = CreateUserToken("walk-security", "security");
    tokens_[kAccountManager] = CreateToken("account_manager");
    tokens_[kAppOwner] = CreateToken("app_owner", "team-a");
    tokens_[kAuditor] = CreateToken("auditor");
    tokens_[kSdk] = CreateToken("sdk", "", "staging");
    tokens_[kDeploy] = CreateToken("deploy");
    tokens_[kWorkloadWithoutScope] =
        WorkloadToken("wl-secrets", "secrets:read");
    tokens_[kWorkloadWithScope] = WorkloadToken("wl-access", "access:evaluate");
    HttpReply staged = client_->Post(
        "/v1/access/policies/staging/versions", admin_token_,
        boost::json::parse(
            R"({"policy": {"roles": {"r": {"permissions": ["read"]}}},
                "reason": "route walk"})"));
    ASSERT_EQ(staged.status, 201) << staged.body;
  }

  std::string WorkloadToken(const std::string& name, const std::string& scope) {
    boost::json::object body = IdentityBody(name, "team-a", "staging");
    body["scopes"] = boost::json::array{boost::json::string(scope)};
    HttpReply created = client_->Post("/v1/identities", admin_token_, body);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id(created.json().at("id").as_string());
    HttpReply credential =
        client_->Post("/v1/identities/" + id + "/credentials", admin_token_,
                      boost::json::object{{"method", "client_secret"}});
    EXPECT_EQ(credential.status, 201) << credential.body;
    HttpReply token = client_->Send(
        "POST", "/oauth/token", {},
        "grant_type=client_credentials&client_id=" + id + "&client_secret=" +
            std::string(credential.json().at("client_secret").as_string()),
        {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(token.status, 200) << token.body;
    return std::string(token.json().at("access_token").as_string());
  }

  std::vector<Row> Table() const {
    const std::string propose =
        R"({"policy": {"roles": {"r": {"permissions": ["read"]}}},
            "reason": "walk"})";
    return {
        {"GET", "/v1/access/policies/staging",
         "/v1/access/policies/{environment}", kPolicyReader, ""},
        {"GET", "/v1/access/policies/staging/versions",
         "/v1/access/policies/{environment}/versions", kPolicyReader, ""},
        {"GET", "/v1/access/policies/staging/versions/1",
         "/v1/access/policies/{environment}/versions/{version}", kPolicyReader,
         ""},
        {"POST", "/v1/access/policies/development/versions",
         "/v1/access/policies/{environment}/versions", kPolicyWriter, propose},
        {"POST", "/access/v1/evaluation", "/access/v1/evaluation",
         kDecisionAsker, kEvaluation},
        {"POST", "/access/v1/evaluations", "/access/v1/evaluations",
         kDecisionAsker, kEvaluation},
        {"POST", "/access/v1/search/subject", "/access/v1/search/subject",
         kDecisionAsker,
         R"({"subject":{"type":"user"},"action":{"name":"read"},
             "resource":{"type":"doc","id":"d1"}})"},
        {"POST", "/access/v1/search/resource", "/access/v1/search/resource",
         kDecisionAsker,
         R"({"subject":{"type":"user","id":"ann"},"action":{"name":"read"},
             "resource":{"type":"doc"}})"},
        {"POST", "/access/v1/search/action", "/access/v1/search/action",
         kDecisionAsker,
         R"({"subject":{"type":"user","id":"ann"},
             "resource":{"type":"doc","id":"d1"}})"},
    };
  }

  // Whether the audit log holds a record carrying `request_id`, waiting
  // for summaries to be flushed.
  bool Audited(const std::string& request_id) {
    for (int i = 0; i < 100; ++i) {
      if (AuditRecordsFor(request_id) >= 1) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  std::array<std::string, kCallerCount> tokens_;
};

TEST_F(AccessRouteAuthzTest, TableCoversEveryAccessRoute) {
  std::set<std::string> served;
  for (const server::RouteDescription& route : app_->routes()) {
    if (route.authenticated && IsAccessRoute(route.pattern)) {
      served.insert(route.method + " " + route.pattern);
    }
  }
  std::set<std::string> tabled;
  for (const Row& row : Table()) tabled.insert(row.method + " " + row.pattern);
  EXPECT_EQ(served, tabled);
}

TEST_F(AccessRouteAuthzTest, EveryRouteWithEveryCaller) {
  for (const Row& row : Table()) {
    for (int caller = 0; caller < kCallerCount; ++caller) {
      SCOPED_TRACE(row.method + " " + row.path + " as " + kCallerNames[caller]);
      HttpReply reply =
          client_->Send(row.method, row.path, tokens_[caller], row.body);
      if (row.allow[caller]) {
        EXPECT_GE(reply.status, 200) << reply.body;
        EXPECT_LT(reply.status, 300) << reply.body;
      } else if (caller == kNoToken) {
        EXPECT_EQ(reply.status, 401) << reply.body;
      } else {
        EXPECT_EQ(reply.status, 403) << reply.body;
      }
      const std::string request_id = reply.header("x-request-id");
      ASSERT_FALSE(request_id.empty());
      // Summaries carry the request id of the last decision they count:
      // one call per caller and route keeps it this one's.
      EXPECT_TRUE(Audited(request_id)) << request_id;
    }
  }
}

}  // namespace
}  // namespace warden::testing_http
