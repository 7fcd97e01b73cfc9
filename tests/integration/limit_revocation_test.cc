// Exposure limits and OAuth tokens, one test per scope: the one
// POST /v1/limits call revokes the live tokens tied to the scope (inactive
// at introspection when the call returns), refuses new ones while the
// limit is active, answers a report and records the time to limit (on the
// limit and on /metrics). Lifting restores issuance, not the revoked
// tokens.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

constexpr char kFlags[] = R"({"flags": {
  "checkout": {"state": "ENABLED", "variants": {"on": true, "off": false},
               "defaultVariant": "on"}}})";

// What a scope's limit is expected to do to the fixture's tokens.
struct ScopeCase {
  json::object body;           // the POST /v1/limits body
  std::string tied_extra;      // token request of the fixture identity
  std::string expected_error;  // its refusal while the limit is active
  int64_t identities = 0;      // report.tokens_revoked
  int64_t tenants = 0;
};

class LimitRevocationTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    HttpReply imported =
        client_->Send("POST", "/v1/flags/import?environment=production",
                      admin_token_, kFlags);
    ASSERT_EQ(imported.status, 200) << imported.body;
    for (const char* manager : {"alice", "bob"}) {
      ASSERT_FALSE(CreateUserToken(manager, "account_manager").empty());
    }
    AddTenant("acme", "alice", {"stripe"});
    AddTenant("globex", "bob", {});
    AddTenant("initech", "alice", {});
    HttpReply segment = client_->Post(
        "/v1/segments", admin_token_,
        json::object{{"key", "canary"}, {"tenants", json::array{"acme"}}});
    ASSERT_EQ(segment.status, 201) << segment.body;
    // A second identity, of another application, never tied below.
    json::object body = IdentityBody("search-worker", "payments", "production");
    body["application"] = "search";
    HttpReply other = client_->Post("/v1/identities", admin_token_, body);
    ASSERT_EQ(other.status, 201) << other.body;
    other_id_ = std::string(other.json().at("id").as_string());
    other_secret_ = RegisterSecret(other_id_);
  }

  void AddTenant(const std::string& key, const std::string& manager,
                 std::vector<std::string> integrations) {
    json::array list;
    for (const std::string& i : integrations) list.emplace_back(i);
    HttpReply created = client_->Post("/v1/tenants", admin_token_,
                                      json::object{{"key", key},
                                                   {"name", key},
                                                   {"account_manager", manager},
                                                   {"integrations", list}});
    ASSERT_EQ(created.status, 201) << created.body;
  }

  std::string OtherToken(const std::string& extra = {}) {
    HttpReply reply = RequestToken(other_id_, other_secret_, extra);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {};
    return std::string(reply.json().at("access_token").as_string());
  }

  // Sets the limit and checks the call's answer; returns the limit id.
  std::string SetLimit(const ScopeCase& c) {
    HttpReply limit = client_->Post("/v1/limits", admin_token_, c.body);
    EXPECT_EQ(limit.status, 201) << limit.body;
    if (limit.status != 201) return {};
    const json::value reply = limit.json();
    const json::object& answer = reply.as_object();
    const json::object& report = answer.at("report").as_object();
    EXPECT_EQ(report.at("tokens_revoked").at("identities").as_int64(),
              c.identities);
    EXPECT_EQ(report.at("tokens_revoked").at("tenants").as_int64(), c.tenants);
    EXPECT_TRUE(report.at("rotations_queued").as_array().empty());
    EXPECT_TRUE(report.contains("flags_turned_off"));
    const json::object& timings = report.at("timings_us").as_object();
    for (const char* part : {"limit", "revocation", "publish", "total"}) {
      EXPECT_GE(timings.at(part).as_int64(), 0) << part;
    }
    EXPECT_EQ(answer.at("time_to_limit_us").as_int64(),
              timings.at("total").as_int64());
    return std::string(answer.at("id").as_string());
  }

  void ExpectRecorded(const std::string& id, const std::string& scope) {
    HttpReply got = client_->Get("/v1/limits/" + id, admin_token_);
    ASSERT_EQ(got.status, 200) << got.body;
    const json::value limit = got.json();
    EXPECT_GT(limit.at("time_to_limit_us").as_int64(), 0);
    EXPECT_TRUE(limit.at("report").at("tokens_revoked").is_object());
    HttpReply metrics = client_->Get("/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("warden_limit_time_to_limit_seconds_count{"
                                "scope=\"" +
                                scope + "\"} 1"),
              std::string::npos)
        << metrics.body.substr(metrics.body.find("warden_limit"));
  }

  void Lift(const std::string& id) {
    // Revocation epochs are whole seconds: a token issued in the
    // revocation's second reads inactive too (RevocationState).
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    HttpReply lifted = client_->Post("/v1/limits/" + id + "/lift", admin_token_,
                                     json::object{{"reason", "fixed"}});
    ASSERT_EQ(lifted.status, 200) << lifted.body;
  }

  // The whole walk for one scope, with `untied` a token that must survive.
  void Walk(const ScopeCase& c, const std::string& untied) {
    const std::string tied = Token(c.tied_extra);
    ASSERT_TRUE(Active(tied));
    ASSERT_TRUE(Active(untied));
    const std::string id = SetLimit(c);
    ASSERT_FALSE(id.empty());
    EXPECT_FALSE(Active(tied));
    EXPECT_TRUE(Active(untied));
    HttpReply refused = RequestToken(id_, secret_, c.tied_extra);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(refused.json().at("error").as_string(), c.expected_error);
    EXPECT_NE(refused.json().at("error_description").as_string().find(id),
              std::string::npos)
        << refused.body;
    ExpectRecorded(id, std::string(c.body.at("scope").as_string()));
    Lift(id);
    const std::string fresh = Token(c.tied_extra);
    EXPECT_TRUE(Active(fresh));
    EXPECT_FALSE(Active(tied));  // revoked, not merely suspended
  }

  // The same data directory and port (same issuer), a new process state.
  void Restart() {
    const uint16_t port = app_->port();
    client_.reset();
    app_->Stop();
    app_.reset();
    server::ServerOptions options;
    options.data_dir = data_dir_ + "/data";
    options.listen = "127.0.0.1:" + std::to_string(port);
    options.io_threads = 2;
    options.worker_threads = 8;
    Result<std::unique_ptr<server::ServerApp>> app =
        server::ServerApp::Start(options);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
    client_ = std::make_unique<HttpClient>(app_->port());
  }

  std::string other_id_;
  std::string other_secret_;
};

TEST_F(LimitRevocationTest, TenantScopeRevokesTokensBoundToTheTenant) {
  Walk({json::object{
            {"scope", "tenant"}, {"values", {"acme"}}, {"reason", "incident"}},
        "&tenant=acme", "invalid_target", 0, 1},
       Token("&tenant=globex"));
}

TEST_F(LimitRevocationTest, AccountOwnerScopeRevokesEveryTenantItManages) {
  const std::string initech = OtherToken("&tenant=initech");
  Walk({json::object{{"scope", "account_owner"},
                     {"values", {"alice"}},
                     {"reason", "incident"}},
        "&tenant=acme", "invalid_target", 0, 2},
       Token("&tenant=globex"));
  EXPECT_FALSE(Active(initech));
}

TEST_F(LimitRevocationTest, SegmentScopeRevokesItsMembers) {
  Walk({json::object{{"scope", "segment"},
                     {"values", {"canary"}},
                     {"reason", "incident"}},
        "&tenant=acme", "invalid_target", 0, 1},
       Token("&tenant=initech"));
}

TEST_F(LimitRevocationTest, IntegrationScopeRevokesItsIdentitiesAndTenants) {
  const std::string other_acme = OtherToken("&tenant=acme");
  Walk({json::object{{"scope", "integration"},
                     {"values", {"checkout", "stripe"}},
                     {"reason", "vendor breach"}},
        "", "unauthorized_client", 1, 1},
       OtherToken("&tenant=globex"));
  EXPECT_FALSE(Active(other_acme));  // acme uses stripe
  HttpReply refused = RequestToken(other_id_, other_secret_, "&tenant=acme");
  EXPECT_EQ(refused.status, 200) << "lifted: " << refused.body;
}

TEST_F(LimitRevocationTest, FlagsScopeRevokesIdentitiesGatedByACoveredFlag) {
  HttpReply gated = client_->Send(
      "PUT", "/v1/identities/" + id_ + "/gating-flags", admin_token_,
      json::serialize(json::object{{"flags", json::array{"checkout"}}}));
  ASSERT_EQ(gated.status, 200) << gated.body;
  Walk({json::object{{"scope", "flags"},
                     {"flags", {"checkout"}},
                     {"reason", "bad rollout"}},
        "", "unauthorized_client", 1, 0},
       OtherToken());
  // The identity itself stays active: only its tokens were revoked.
  HttpReply identity = client_->Get("/v1/identities/" + id_, admin_token_);
  EXPECT_EQ(identity.json().at("status").as_string(), "active");
}

// The limits of record are in the store: a restarted server refuses the
// tied identity from its first request, and the revocation stays.
TEST_F(LimitRevocationTest, ActiveLimitStillRefusesAfterRestart) {
  const std::string before = Token();
  HttpReply limit = client_->Post("/v1/limits", admin_token_,
                                  json::object{{"scope", "integration"},
                                               {"values", {"checkout"}},
                                               {"reason", "vendor breach"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  Restart();
  EXPECT_FALSE(Active(before));
  HttpReply refused = RequestToken(id_, secret_);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.json().at("error").as_string(), "unauthorized_client");
  EXPECT_EQ(RequestToken(other_id_, other_secret_).status, 200);
}

}  // namespace
}  // namespace warden::testing_http
