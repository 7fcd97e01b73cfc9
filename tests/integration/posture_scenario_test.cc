// A security engineer's first day, over real HTTP: scan (observations of a
// Kubernetes namespace and a source tree), triage drift (unmanaged,
// missing, changed), import an unmanaged ServiceAccount as a draft and
// give it an owner, read findings with their OWASP NHI and NIST CSF
// mappings, acknowledge one, run an access review, and watch the maturity
// shares rise.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/time_format.h"
#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

json::object Observation(const std::string& kind, const std::string& key,
                         const std::string& name,
                         json::object attributes = {}) {
  return {{"kind", kind},
          {"source", "k8s"},
          {"key", key},
          {"name", name},
          {"location", "deploy/" + name + ".yaml:1"},
          {"attributes", std::move(attributes)}};
}

class PostureScenarioTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateTeam("payments");
    ASSERT_EQ(client_
                  ->Send("PUT", "/v1/teams/payments", admin_token_,
                         R"({"members": ["olive"]})")
                  .status,
              200);
    security_ = CreateUserToken("sam", "security");
    owner_ = CreateToken("app_owner", "payments");
    api_ = Register("payments-api", "k8s:prod/payments-api");
    batch_ = Register("payments-batch", "k8s:prod/payments-batch");
    json::object agent = IdentityBody("triage-agent", "payments", "staging");
    agent["kind"] = "agent";
    agent["rotation_days"] = 30;
    HttpReply made = client_->Post("/v1/identities", admin_token_, agent);
    ASSERT_EQ(made.status, 201) << made.body;
    agent_ = std::string(made.json().at("id").as_string());
  }

  std::string Register(const std::string& name, const std::string& external) {
    json::object body = IdentityBody(name, "payments", "staging");
    body["external_id"] = external;
    HttpReply made = client_->Post("/v1/identities", admin_token_, body);
    EXPECT_EQ(made.status, 201) << made.body;
    return std::string(made.json().at("id").as_string());
  }

  json::object Get(const std::string& path) {
    HttpReply reply = client_->Get(path, security_);
    EXPECT_EQ(reply.status, 200) << path << ": " << reply.body;
    return reply.status == 200 ? reply.json().as_object() : json::object{};
  }

  double Share(const std::string& which) {
    json::object maturity = Get("/v1/maturity?drill_down=5");
    return maturity.at(which).at("share").to_number<double>();
  }

  void Sweep() {
    HttpReply swept = client_->Send("POST", "/v1/posture/sweep", security_);
    ASSERT_EQ(swept.status, 200) << swept.body;
  }

  // Rules of the unresolved findings on `identity`.
  std::set<std::string> RulesOn(const std::string& identity) {
    std::set<std::string> rules;
    json::object found =
        Get("/v1/findings?state=unresolved&limit=100&identity=" + identity);
    for (const json::value& f : found.at("items").as_array()) {
      rules.insert(std::string(f.at("rule").as_string()));
    }
    return rules;
  }

  std::string security_, owner_, api_, batch_, agent_;
};

TEST_F(PostureScenarioTest, FirstDayScanTriageReviewAndMaturity) {
  // 1. Scan: one inventoried ServiceAccount, one unmanaged, a leaked key.
  HttpReply scan =
      client_->Post("/v1/scans", security_,
                    json::object{{"source", "k8s"}, {"target", "deploy/prod"}});
  ASSERT_EQ(scan.status, 201) << scan.body;
  const std::string scan_path =
      "/v1/scans/" + std::string(scan.json().at("id").as_string());
  json::array seen{
      Observation("k8s_service_account", "k8s:prod/payments-api",
                  "payments-api"),
      Observation("k8s_service_account", "prod/legacy-cron", "legacy-cron"),
      Observation("leaked_secret", "aws-access-token|app/config.py|12|9f86",
                  "aws-access-token",
                  {{"rule", "aws-access-token"},
                   {"file", "app/config.py"},
                   {"line", "12"},
                   {"fingerprint", "9f86"}})};
  HttpReply recorded = client_->Post(scan_path + "/observations", security_,
                                     json::object{{"observations", seen}});
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  EXPECT_EQ(recorded.json().at("matched").as_int64(), 1);
  EXPECT_EQ(recorded.json().at("unmanaged").as_int64(), 2);
  ASSERT_EQ(client_
                ->Post(scan_path + "/complete", security_,
                       json::object{{"issues",
                                     {{{"location", "deploy/bad.yaml:3"},
                                       {"message", "invalid YAML"}}}},
                                    {"issue_count", 1}})
                .status,
            200);

  // Bad input is refused whole, and nothing stored changes.
  HttpReply bad = client_->Post(scan_path + "/observations", security_,
                                json::object{{"observations", seen}});
  EXPECT_EQ(bad.status, 409) << bad.body;  // the scan is complete
  EXPECT_NE(bad.body.find("scan-complete"), std::string::npos);
  bad = client_->Send("POST", "/v1/observations", security_,
                      R"({"source": "k8s", "observations": [{"kind": "x"}]})");
  EXPECT_EQ(bad.status, 400) << bad.body;

  // 2. Drift: legacy-cron unmanaged, payments-batch missing.
  json::object drift = Get("/v1/drift?kind=unmanaged");
  EXPECT_EQ(drift.at("summary").at("missing").as_int64(), 1);
  ASSERT_EQ(drift.at("items").as_array().size(), 1u);  // the SA; secrets
  EXPECT_EQ(drift.at("items").at(0).at("key").as_string(), "prod/legacy-cron");
  json::object missing = Get("/v1/drift?kind=missing");
  ASSERT_EQ(missing.at("items").as_array().size(), 1u);
  EXPECT_EQ(missing.at("items").at(0).at("id").as_string(), batch_);

  // 3. Import the unmanaged one as a draft; it needs an owner to go live.
  HttpReply imported = client_->Post(
      "/v1/drift/import", security_,
      json::object{
          {"observations",
           {{{"kind", "k8s_service_account"}, {"key", "prod/legacy-cron"}}}},
          {"environment", "staging"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  const json::value imported_body = imported.json();
  const json::value& draft = imported_body.at("items").at(0);
  EXPECT_EQ(draft.at("status").as_string(), "draft");
  EXPECT_EQ(draft.at("owner").as_string(), "unassigned");
  EXPECT_EQ(draft.at("external_id").as_string(), "prod/legacy-cron");
  const std::string draft_id = std::string(draft.at("id").as_string());
  HttpReply early = client_->Post("/v1/identities/" + draft_id + "/resume",
                                  admin_token_, json::object{});
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_NE(early.body.find("owner-required"), std::string::npos);
  HttpReply owned = client_->Send("PATCH", "/v1/identities/" + draft_id,
                                  admin_token_, R"({"owner": "payments"})");
  ASSERT_EQ(owned.status, 200) << owned.body;
  HttpReply live = client_->Post("/v1/identities/" + draft_id + "/resume",
                                 admin_token_, json::object{});
  ASSERT_EQ(live.status, 200) << live.body;
  EXPECT_EQ(live.json().at("status").as_string(), "active");
  EXPECT_EQ(Get("/v1/drift").at("summary").at("unmanaged").as_int64(), 0);

  // 4. Findings, with their mappings.
  Sweep();
  json::object leaked = Get("/v1/findings?owasp=NHI2");
  ASSERT_EQ(leaked.at("items").as_array().size(), 1u);
  const json::value& secret = leaked.at("items").at(0);
  EXPECT_EQ(secret.at("rule").as_string(), "secret-leaked");
  EXPECT_EQ(secret.at("severity").as_string(), "critical");
  EXPECT_EQ(json::serialize(secret.at("csf")), R"(["DE.CM-09","PR.AA-01"])");
  EXPECT_EQ(leaked.at("items").at(0).at("evidence").at("file").as_string(),
            "app/config.py");
  EXPECT_TRUE(RulesOn(agent_).count("agent-unbounded"));
  EXPECT_TRUE(RulesOn(api_).count("identity-unjustified"));
  json::object rules = Get("/v1/findings/rules");
  EXPECT_GE(rules.at("items").as_array().size(), 20u);
  json::object summary = Get("/v1/findings/summary?state=unresolved");
  EXPECT_GE(summary.at("by_owasp").at("NHI2").as_int64(), 1);
  HttpReply unknown = client_->Get("/v1/findings?owasp=NHI11", security_);
  EXPECT_EQ(unknown.status, 400) << unknown.body;

  // 5. Acknowledge the agent's finding for now (its owner may).
  json::object agent_findings =
      Get("/v1/findings?rule=agent-unbounded&identity=" + agent_);
  const std::string agent_finding =
      std::string(agent_findings.at("items").at(0).at("id").as_string());
  HttpReply no_reason =
      client_->Post("/v1/findings/" + agent_finding + "/acknowledge", owner_,
                    json::object{{"expires_in_days", 14}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  HttpReply acked =
      client_->Post("/v1/findings/" + agent_finding + "/acknowledge", owner_,
                    json::object{{"reason", "sponsor named next sprint"},
                                 {"expires_in_days", 14}});
  ASSERT_EQ(acked.status, 200) << acked.body;
  EXPECT_EQ(acked.json().at("state").as_string(), "acknowledged");

  // 6. An access review justifies what the owners keep.
  const double justified_before = Share("justified");
  EXPECT_LT(justified_before, 1.0);
  HttpReply review = client_->Post(
      "/v1/reviews", security_,
      json::object{{"name", "payments Q4"},
                   {"scope", {{"team", "payments"}}},
                   {"due_at", FormatRfc3339(SystemClock().Now() +
                                            std::chrono::hours(72))}});
  ASSERT_EQ(review.status, 201) << review.body;
  const std::string review_path =
      "/v1/reviews/" + std::string(review.json().at("id").as_string());
  EXPECT_EQ(review.json().at("decisions").at("pending").as_int64(), 4);
  for (const std::string& id : {api_, batch_, agent_, draft_id}) {
    HttpReply decided = client_->Post(
        review_path + "/items/" + id + "/decide", owner_,
        json::object{{"decision", "keep"},
                     {"justification", "runs the payments pipeline"}});
    ASSERT_EQ(decided.status, 200) << decided.body;
  }
  HttpReply twice = client_->Post(review_path + "/items/" + api_ + "/decide",
                                  owner_, json::object{{"decision", "revoke"}});
  EXPECT_EQ(twice.status, 409) << twice.body;
  Sweep();
  EXPECT_EQ(Share("justified"), 1.0);
  EXPECT_FALSE(RulesOn(api_).count("identity-unjustified"));

  // 7. The inventoried share: 1 of 2 observed ServiceAccounts before the
  // import (a draft does not count), both once the draft went live.
  json::object maturity = Get("/v1/maturity?history=10");
  EXPECT_EQ(maturity.at("inventoried").at("total").as_int64(), 2);
  EXPECT_EQ(maturity.at("inventoried").at("ok").as_int64(), 2);
  EXPECT_GE(maturity.at("history").as_array().size(), 2u);
  json::object team = Get("/v1/maturity?team=payments");
  EXPECT_EQ(team.at("justified").at("share").to_number<double>(), 1.0);
}

TEST_F(PostureScenarioTest, UndecidedReviewItemsBecomeFindings) {
  HttpReply review = client_->Post(
      "/v1/reviews", security_,
      json::object{{"name", "payments Q1"},
                   {"scope", {{"team", "payments"}}},
                   {"due_at", FormatRfc3339(SystemClock().Now() +
                                            std::chrono::hours(1))}});
  ASSERT_EQ(review.status, 201) << review.body;
  const std::string id = std::string(review.json().at("id").as_string());
  HttpReply closed =
      client_->Send("POST", "/v1/reviews/" + id + "/close", security_);
  ASSERT_EQ(closed.status, 200) << closed.body;
  json::object overdue = Get("/v1/findings?rule=review-overdue");
  EXPECT_EQ(overdue.at("items").as_array().size(), 3u);
  // A late decision still counts and resolves its finding.
  ASSERT_EQ(
      client_
          ->Post("/v1/reviews/" + id + "/items/" + api_ + "/decide", owner_,
                 json::object{{"decision", "keep"},
                              {"justification", "late but sure"}})
          .status,
      200);
  overdue = Get("/v1/findings?rule=review-overdue&state=unresolved");
  EXPECT_EQ(overdue.at("items").as_array().size(), 2u);
}

// Usage sightings reach the rules: a machine identity whose token is
// requested from curl is flagged as human use (OWASP NHI10).
class HumanUseTest : public OAuthFixture {};

TEST_F(HumanUseTest, InteractiveUserAgentOnTheTokenEndpoint) {
  auto headers = BasicHeaders(id_, secret_);
  headers.emplace_back("User-Agent", "curl/8.4.0");
  HttpReply token = client_->Send("POST", "/oauth/token", {},
                                  "grant_type=client_credentials", headers);
  ASSERT_EQ(token.status, 200) << token.body;
  // The usage recorder flushes every 2 s; sweep until the sighting is in.
  bool flagged = false;
  for (int attempt = 0; attempt < 40 && !flagged; ++attempt) {
    ASSERT_EQ(client_->Send("POST", "/v1/posture/sweep", admin_token_).status,
              200);
    HttpReply found = client_->Get(
        "/v1/findings?rule=human-use&identity=" + id_, admin_token_);
    ASSERT_EQ(found.status, 200) << found.body;
    const boost::json::value body = found.json();
    const boost::json::array& items = body.at("items").as_array();
    if (!items.empty()) {
      flagged = true;
      EXPECT_EQ(items[0].at("owasp").as_string(), "NHI10");
      EXPECT_NE(
          boost::json::serialize(items[0].at("evidence")).find("curl/8.4.0"),
          std::string::npos);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }
  EXPECT_TRUE(flagged);
}

}  // namespace
}  // namespace warden::testing_http
