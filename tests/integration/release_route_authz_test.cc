// Every release-governance route x every caller kind: allowed exactly where
// the role table (authz/authorizer.cc) allows, 403 elsewhere (401 without a
// token), and every decision audited with its request id. Each call acts on
// a fresh release, so an allowed call must succeed.
#include <gtest/gtest.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <functional>

#include "server_fixture.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

enum Caller {
  kAdmin,
  kSecurity,
  kAccountManager,
  kOwnerOnOwnTeam,
  kOwnerOnOtherTeam,
  kAuditor,
  kSdk,
  kDeploy,
  kNoToken,
  kCallerCount
};
constexpr std::array<const char*, kCallerCount> kCallerNames = {
    "admin",   "security", "account_manager", "owner_a@a", "owner_a@b",
    "auditor", "sdk",      "deploy",          "no_token"};

using Allow = std::array<int, kCallerCount>;
// admin security acct_mgr owner@own owner@other auditor sdk deploy none
constexpr Allow kReader = {1, 1, 1, 1, 1, 1, 0, 0, 0};
constexpr Allow kOperator = {1, 1, 0, 1, 0, 0, 0, 0, 0};
constexpr Allow kRecorder = {1, 0, 0, 1, 0, 0, 0, 1, 0};
constexpr Allow kConsent = {1, 0, 1, 0, 0, 0, 0, 0, 0};

struct Call {
  std::string path;
  std::string body;
};

struct Row {
  std::string method;
  std::string pattern;
  Allow allow;
  std::function<Call(const std::string& team)> setup;
};

class ReleaseRouteAuthzTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateTeam("team-a");
    CreateTeam("team-b");
    tokens_[kAdmin] = CreateUserToken("walk-admin", "admin");
    tokens_[kSecurity] = CreateUserToken("walk-security", "security");
    tokens_[kAccountManager] = CreateUserToken("amy", "account_manager");
    tokens_[kOwnerOnOwnTeam] = CreateToken("app_owner", "team-a");
    tokens_[kOwnerOnOtherTeam] = tokens_[kOwnerOnOwnTeam];
    tokens_[kAuditor] = CreateUserToken("walk-auditor", "auditor");
    tokens_[kSdk] = CreateToken("sdk", "", "production");
    tokens_[kDeploy] = CreateToken("deploy");
    HttpReply tenant = client_->Post(
        "/v1/tenants", admin_token_,
        json::object{
            {"key", "acme"}, {"name", "Acme"}, {"account_manager", "amy"}});
    ASSERT_EQ(tenant.status, 201) << tenant.body;
  }

  static std::string ReleaseBody(const std::string& team,
                                 const std::string& tier = "low") {
    return json::serialize(json::object{{"service", "checkout"},
                                        {"version", "1.0.0"},
                                        {"owner", team},
                                        {"flags", {"new-checkout"}},
                                        {"risk_tier", tier}});
  }

  // A release of `team`, recorded by admin; returns its path.
  std::string FreshRelease(const std::string& team,
                           const std::string& tier = "low") {
    HttpReply reply = client_->Send("POST", "/v1/releases", admin_token_,
                                    ReleaseBody(team, tier));
    EXPECT_EQ(reply.status, 201) << reply.body;
    return "/v1/releases/" + std::string(reply.json().at("id").as_string());
  }

  std::vector<Row> Table() {
    const std::string reason = R"({"reason": "route authz test"})";
    auto on_release = [this](std::string suffix, std::string body,
                             std::string tier = "low") {
      return [this, suffix, body, tier](const std::string& team) {
        return Call{FreshRelease(team, tier) + suffix, body};
      };
    };
    auto fixed = [](std::string path, std::string body = {}) {
      return [path, body](const std::string&) { return Call{path, body}; };
    };
    return {
        {"POST", "/v1/releases", kRecorder,
         [](const std::string& team) {
           return Call{"/v1/releases", ReleaseBody(team)};
         }},
        {"GET", "/v1/releases", kReader, fixed("/v1/releases")},
        {"GET", "/v1/releases/{id}", kReader, on_release("", "")},
        {"GET", "/v1/releases/{id}/readiness", kReader,
         on_release("/readiness", "")},
        {"GET", "/v1/releases/{id}/dependencies", kReader,
         on_release("/dependencies", "")},
        {"GET", "/v1/flags/{environment}/{key}/dependents", kReader,
         fixed("/v1/flags/production/new-checkout/dependents")},
        {"GET", "/v1/releases/{id}/runbook", kReader,
         on_release("/runbook", "")},
        {"POST", "/v1/releases/{id}/runbook/dry-run", kOperator,
         on_release("/runbook/dry-run", "")},
        {"POST", "/v1/releases/{id}/advance", kOperator,
         on_release("/advance", reason)},
        {"POST", "/v1/releases/{id}/pause", kOperator,
         on_release("/pause", reason)},
        {"POST", "/v1/releases/{id}/rollback", kOperator,
         on_release("/rollback", reason)},
        {"POST", "/v1/releases/{id}/signals", kOperator,
         on_release("/signals", R"({"signals": {"error_rate": 0.01}})")},
        {"POST", "/v1/releases/{id}/activations", kOperator,
         on_release("/activations", R"({"tenant": "acme", "reason": "asked"})",
                    "high")},
        {"GET", "/v1/tenants/{key}/changelog", kReader,
         fixed("/v1/tenants/acme/changelog")},
        {"GET", "/v1/tenants/{key}/consents", kReader,
         fixed("/v1/tenants/acme/consents")},
        {"POST", "/v1/tenants/{key}/consents", kConsent,
         fixed("/v1/tenants/acme/consents",
               R"({"kind": "opt_in", "flags": ["new-checkout"]})")},
    };
  }

  std::array<std::string, kCallerCount> tokens_;
};

TEST_F(ReleaseRouteAuthzTest, TableCoversEveryReleaseRoute) {
  std::set<std::string> served;
  for (const server::RouteDescription& route : app_->routes()) {
    const bool release_route =
        route.pattern.rfind("/v1/releases", 0) == 0 ||
        route.pattern == "/v1/tenants/{key}/changelog" ||
        route.pattern == "/v1/flags/{environment}/{key}/dependents" ||
        route.pattern == "/v1/tenants/{key}/consents";
    if (release_route) served.insert(route.method + " " + route.pattern);
  }
  std::set<std::string> tabled;
  for (const Row& row : Table()) tabled.insert(row.method + " " + row.pattern);
  EXPECT_EQ(served, tabled);
}

TEST_F(ReleaseRouteAuthzTest, EveryRouteWithEveryCaller) {
  for (const Row& row : Table()) {
    for (int caller = 0; caller < kCallerCount; ++caller) {
      SCOPED_TRACE(row.method + " " + row.pattern + " as " +
                   kCallerNames[caller]);
      const std::string team =
          caller == kOwnerOnOtherTeam ? "team-b" : "team-a";
      Call call = row.setup(team);
      HttpReply reply =
          client_->Send(row.method, call.path, tokens_[caller], call.body);
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
      EXPECT_GE(AuditRecordsFor(request_id), 1)
          << "no audit record for request " << request_id;
    }
  }
}

}  // namespace
}  // namespace warden::testing_http
