// Every posture and discovery route x every caller kind: allowed exactly
// where the role table (authz/authorizer.cc) allows, 403 elsewhere (401
// without a token), and every decision audited with its request id. Each
// call acts on fresh resources, so an allowed call must succeed.
#include <gtest/gtest.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <functional>
#include <set>

#include "core/clock.h"
#include "core/time_format.h"
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
constexpr Allow kReader = {1, 1, 0, 1, 1, 1, 0, 0, 0};
constexpr Allow kManager = {1, 1, 0, 0, 0, 0, 0, 0, 0};
constexpr Allow kOwnTeam = {1, 1, 0, 1, 0, 0, 0, 0, 0};

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

bool IsPostureRoute(const std::string& pattern) {
  for (const char* prefix :
       {"/v1/findings", "/v1/posture", "/v1/maturity", "/v1/reviews",
        "/v1/scans", "/v1/observations", "/v1/drift"}) {
    if (pattern.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

class PostureRouteAuthzTest : public ServerFixture {
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
  }

  std::string FreshIdentity(const std::string& team) {
    json::object made =
        CreateIdentity("walk-" + std::to_string(++serial_), team, "staging");
    return std::string(made.at("id").as_string());
  }

  // An open finding of a fresh identity of `team`.
  std::string FreshFinding(const std::string& team) {
    const std::string identity = FreshIdentity(team);
    EXPECT_EQ(client_->Send("POST", "/v1/posture/sweep", admin_token_).status,
              200);
    HttpReply found = client_->Get(
        "/v1/findings?rule=identity-unjustified&identity=" + identity,
        admin_token_);
    EXPECT_EQ(found.status, 200) << found.body;
    const json::value body = found.json();
    const json::array& items = body.at("items").as_array();
    EXPECT_EQ(items.size(), 1u) << found.body;
    if (items.empty()) return "none";
    return std::string(items[0].at("id").as_string());
  }

  // A review of `team` holding one fresh identity; "id/identity".
  std::pair<std::string, std::string> FreshReview(const std::string& team) {
    const std::string identity = FreshIdentity(team);
    HttpReply made = client_->Post(
        "/v1/reviews", admin_token_,
        json::object{{"name", "walk " + std::to_string(++serial_)},
                     {"scope", {{"team", team}}},
                     {"due_at", FormatRfc3339(SystemClock().Now() +
                                              std::chrono::hours(24))}});
    EXPECT_EQ(made.status, 201) << made.body;
    return {std::string(made.json().at("id").as_string()), identity};
  }

  std::string FreshScan() {
    HttpReply made =
        client_->Post("/v1/scans", admin_token_,
                      json::object{{"source", "k8s"}, {"target", "walk/"}});
    EXPECT_EQ(made.status, 201) << made.body;
    return "/v1/scans/" + std::string(made.json().at("id").as_string());
  }

  std::string Observations() {
    return json::serialize(
        json::object{{"source", "k8s"},
                     {"target", "walk/"},
                     {"observations",
                      {{{"kind", "k8s_service_account"},
                        {"source", "k8s"},
                        {"key", "walk/sa-" + std::to_string(++serial_)},
                        {"name", "sa-" + std::to_string(serial_)}}}}});
  }

  // An unmanaged observation recorded by admin; its {kind, key}.
  std::string FreshUnmanaged() {
    const std::string key = "walk/import-" + std::to_string(++serial_);
    HttpReply recorded = client_->Send(
        "POST", "/v1/observations", admin_token_,
        json::serialize(
            json::object{{"source", "k8s"},
                         {"target", "walk/"},
                         {"observations",
                          {{{"kind", "k8s_service_account"},
                            {"source", "k8s"},
                            {"key", key},
                            {"name", "import-" + std::to_string(serial_)}}}}}));
    EXPECT_EQ(recorded.status, 200) << recorded.body;
    return json::serialize(json::object{
        {"observations", {{{"kind", "k8s_service_account"}, {"key", key}}}}});
  }

  std::vector<Row> Table() {
    auto fixed = [](std::string path, std::string body = {}) {
      return [path, body](const std::string&) { return Call{path, body}; };
    };
    auto finding = [this](std::string suffix, std::string body) {
      return [this, suffix, body](const std::string& team) {
        return Call{"/v1/findings/" + FreshFinding(team) + suffix, body};
      };
    };
    auto review = [this](std::string suffix, std::string body) {
      return [this, suffix, body](const std::string& team) {
        auto [id, identity] = FreshReview(team);
        std::string path = "/v1/reviews/" + id + suffix;
        const size_t slot = path.find("{identity}");
        if (slot != std::string::npos) path.replace(slot, 10, identity);
        return Call{path, body};
      };
    };
    const std::string due =
        FormatRfc3339(SystemClock().Now() + std::chrono::hours(48));
    return {
        {"GET", "/v1/findings", kReader, fixed("/v1/findings")},
        {"GET", "/v1/findings/summary", kReader, fixed("/v1/findings/summary")},
        {"GET", "/v1/findings/rules", kReader, fixed("/v1/findings/rules")},
        {"GET", "/v1/findings/{id}", kReader, finding("", "")},
        {"POST", "/v1/findings/{id}/acknowledge", kOwnTeam,
         finding(
             "/acknowledge",
             R"({"reason": "accepted for the walk", "expires_in_days": 7})")},
        {"GET", "/v1/posture/policy", kReader, fixed("/v1/posture/policy")},
        {"PUT", "/v1/posture/policy", kManager,
         fixed("/v1/posture/policy", R"({"unused_days": 60})")},
        {"POST", "/v1/posture/sweep", kManager, fixed("/v1/posture/sweep")},
        {"GET", "/v1/maturity", kReader, fixed("/v1/maturity")},
        {"POST", "/v1/reviews", kManager,
         [this, due](const std::string& team) {
           FreshIdentity(team);
           return Call{"/v1/reviews",
                       json::serialize(json::object{{"name", "walk review"},
                                                    {"scope", {{"team", team}}},
                                                    {"due_at", due}})};
         }},
        {"GET", "/v1/reviews", kReader, fixed("/v1/reviews")},
        {"GET", "/v1/reviews/{id}", kReader, review("", "")},
        {"POST", "/v1/reviews/{id}/close", kManager, review("/close", "")},
        {"GET", "/v1/reviews/{id}/items", kReader, review("/items", "")},
        {"POST", "/v1/reviews/{id}/items/{identity}/decide", kOwnTeam,
         review("/items/{identity}/decide",
                R"({"decision": "keep", "justification": "still needed"})")},
        {"POST", "/v1/scans", kManager,
         fixed("/v1/scans", R"({"source": "certs", "target": "/etc/ssl"})")},
        {"GET", "/v1/scans", kReader, fixed("/v1/scans")},
        {"GET", "/v1/scans/schedule", kReader, fixed("/v1/scans/schedule")},
        {"PUT", "/v1/scans/schedule", kManager,
         fixed("/v1/scans/schedule",
               R"({"scans": [{"source": "certs", "target": "/nonexistent",
                              "every_minutes": 60}]})")},
        {"POST", "/v1/scans/{id}/observations", kManager,
         [this](const std::string&) {
           return Call{FreshScan() + "/observations", Observations()};
         }},
        {"POST", "/v1/scans/{id}/complete", kManager,
         [this](const std::string&) {
           return Call{FreshScan() + "/complete", R"({"issue_count": 0})"};
         }},
        {"POST", "/v1/observations", kManager,
         [this](const std::string&) {
           return Call{"/v1/observations", Observations()};
         }},
        {"GET", "/v1/observations", kReader, fixed("/v1/observations")},
        {"GET", "/v1/drift", kReader, fixed("/v1/drift?kind=missing")},
        {"POST", "/v1/drift/import", kManager,
         [this](const std::string&) {
           return Call{"/v1/drift/import", FreshUnmanaged()};
         }},
    };
  }

  std::array<std::string, kCallerCount> tokens_;
  int serial_ = 0;
};

TEST_F(PostureRouteAuthzTest, TableCoversEveryPostureRoute) {
  std::set<std::string> served;
  for (const server::RouteDescription& route : app_->routes()) {
    if (IsPostureRoute(route.pattern)) {
      served.insert(route.method + " " + route.pattern);
    }
  }
  std::set<std::string> tabled;
  for (const Row& row : Table()) tabled.insert(row.method + " " + row.pattern);
  EXPECT_EQ(served, tabled);
}

TEST_F(PostureRouteAuthzTest, EveryRouteWithEveryCaller) {
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
