// Warden as an AuthZEN policy decision point, over HTTP: policies proposed
// and approved per environment, the Authorization API 1.0 endpoints, and
// the workload-context scenario the product is for: a production workload
// may write only its own team's resources, only while its tenant's feature
// is exposed, and never while an exposure limit holds.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

constexpr char kSpiffeId[] =
    "spiffe://warden.local/ns/production/sa/checkout-worker";

boost::json::object WorkloadPolicy() {
  return boost::json::parse(R"({
    "description": "workloads write their own team's data while exposed",
    "rules": [
      {"id": "workloads-write-own-team", "effect": "permit",
       "subject": {"types": ["workload"]}, "actions": ["write"],
       "when": {"and": [
         {"==": [{"var": "subject.identity.environment"}, "production"]},
         {"==": [{"var": "subject.identity.owner"},
                 {"var": "resource.properties.team"}]},
         {"flag_on": "payments-v2"}]}},
      {"id": "workloads-read", "effect": "permit",
       "subject": {"types": ["workload"]}, "actions": ["read"]}
    ]})")
      .as_object();
}

boost::json::object Evaluation(const std::string& action,
                               const std::string& team,
                               const std::string& tenant) {
  boost::json::object properties{{"team", team}};
  if (!tenant.empty()) properties["tenant"] = tenant;
  return {{"subject", {{"type", "workload"}, {"id", kSpiffeId}}},
          {"action", {{"name", action}}},
          {"resource",
           {{"type", "ledger"}, {"id", "l-1"}, {"properties", properties}}}};
}

class AccessDecisionTest : public OAuthFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.audit_summary_period = std::chrono::milliseconds(50);
  }

  void SetUp() override {
    OAuthFixture::SetUp();
    if (HasFatalFailure()) return;
    proposer_ = CreateUserToken("paula", "security");
    approver_ = CreateUserToken("quinn", "security");
    HttpReply scoped =
        client_->Send("PATCH", "/v1/identities/" + id_, admin_token_,
                      R"({"scopes": ["access:evaluate"]})");
    ASSERT_EQ(scoped.status, 200) << scoped.body;
  }

  HttpReply Propose(const std::string& env, const boost::json::object& policy,
                    const std::string& token) {
    return client_->Post(
        "/v1/access/policies/" + env + "/versions", token,
        boost::json::object{{"policy", policy}, {"reason", "CHG-1 access"}});
  }

  // Proposes `policy` in production and has a second human approve it.
  void ActivateInProduction(const boost::json::object& policy) {
    HttpReply proposed = Propose("production", policy, proposer_);
    ASSERT_EQ(proposed.status, 202) << proposed.body;
    const std::string approval(proposed.json().at("approval_id").as_string());
    HttpReply approved =
        client_->Post("/v1/approvals/" + approval + "/approve", approver_,
                      boost::json::object{{"reason", "reviewed"}});
    ASSERT_EQ(approved.status, 200) << approved.body;
  }

  void CreateExposure() {
    for (const char* tenant : {"acme", "beta"}) {
      HttpReply created =
          client_->Post("/v1/tenants", admin_token_,
                        boost::json::object{{"key", tenant}, {"name", tenant}});
      ASSERT_EQ(created.status, 201) << created.body;
    }
    // On for acme only.
    HttpReply flag =
        client_->Post("/v1/flags?environment=production", admin_token_,
                      boost::json::parse(R"({"key": "payments-v2",
          "variants": {"on": true, "off": false}, "default_variant": "off",
          "off_variant": "off", "owner_team": "payments",
          "description": "new payments",
          "targeting": {"if": [{"in": [{"var": "targetingKey"}, ["acme"]]},
                               "on", "off"]}})"));
    ASSERT_EQ(flag.status, 201) << flag.body;
  }

  boost::json::object Decide(const std::string& token,
                             const boost::json::object& request) {
    HttpReply reply = client_->Post("/access/v1/evaluation", token, request);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.status == 200 ? reply.json().as_object()
                               : boost::json::object{};
  }

  std::string proposer_;
  std::string approver_;
};

TEST_F(AccessDecisionTest, WorkloadWritesOnlyOwnTeamWhileExposedAndUnlimited) {
  CreateExposure();
  ActivateInProduction(WorkloadPolicy());
  const std::string token = Token();

  boost::json::object own =
      Decide(token, Evaluation("write", "payments", "acme"));
  EXPECT_EQ(own["decision"], true) << boost::json::serialize(own);
  boost::json::object& why = own["context"].as_object();
  EXPECT_EQ(why["id"], "rule:workloads-write-own-team");
  EXPECT_EQ(why["facts"].at("subject.identity.owner"), "payments");
  EXPECT_EQ(why["facts"].at("flag_on(payments-v2)"), true);
  EXPECT_EQ(why["policy"].at("environment"), "production");
  EXPECT_EQ(why["policy"].at("version"), 1);

  boost::json::object other =
      Decide(token, Evaluation("write", "search", "acme"));
  EXPECT_EQ(other["decision"], false);
  EXPECT_EQ(other["context"].at("id"), "no-permit");
  // beta is not exposed to payments-v2.
  EXPECT_EQ(Decide(token, Evaluation("write", "payments", "beta"))["decision"],
            false);

  HttpReply limit =
      client_->Post("/v1/limits", admin_token_,
                    boost::json::object{{"scope", "tenant"},
                                        {"values", {"acme"}},
                                        {"reason", "incident 42"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  const std::string limit_id(limit.json().at("id").as_string());
  // The limit revoked the workload's tokens tied to acme? It is not bound
  // to a tenant, so it keeps its token; every decision tied to acme stops.
  boost::json::object limited =
      Decide(token, Evaluation("write", "payments", "acme"));
  EXPECT_EQ(limited["decision"], false);
  EXPECT_EQ(limited["context"].at("id"), "limit");
  EXPECT_EQ(limited["context"].at("detail").as_string(), limit_id);
  EXPECT_EQ(Decide(token, Evaluation("read", "payments", "acme"))["decision"],
            false);
  EXPECT_EQ(Decide(token, Evaluation("read", "payments", ""))["decision"],
            true);

  HttpReply lifted =
      client_->Post("/v1/limits/" + limit_id + "/lift", admin_token_,
                    boost::json::object{{"reason", "resolved"}});
  ASSERT_EQ(lifted.status, 200) << lifted.body;
  EXPECT_EQ(Decide(token, Evaluation("write", "payments", "acme"))["decision"],
            true);

  // An identity that is no longer active decides nothing (asked by admin:
  // the suspended workload's own tokens stop working).
  HttpReply suspended =
      client_->Post("/v1/identities/" + id_ + "/suspend", admin_token_,
                    boost::json::object{{"reason", "compromised"}});
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  boost::json::object inactive =
      Decide(admin_token_, Evaluation("read", "payments", ""));
  EXPECT_EQ(inactive["decision"], false);
  EXPECT_EQ(inactive["context"].at("id"), "identity-inactive");
}

TEST_F(AccessDecisionTest, ProductionPoliciesWaitForASecondHuman) {
  HttpReply invalid =
      Propose("staging",
              boost::json::parse(R"({"rules": [{"effect": "permit",
          "when": {"==": [{"var": "subjct.id"}, "x"]}}]})")
                  .as_object(),
              proposer_);
  EXPECT_EQ(invalid.status, 400) << invalid.body;
  EXPECT_NE(invalid.body.find("rules[0].when.==[0].var"), std::string::npos)
      << invalid.body;

  HttpReply staged = Propose("staging", WorkloadPolicy(), proposer_);
  EXPECT_EQ(staged.status, 201) << staged.body;
  EXPECT_EQ(staged.json().at("state"), "active");

  HttpReply pending = Propose("production", WorkloadPolicy(), proposer_);
  ASSERT_EQ(pending.status, 202) << pending.body;
  EXPECT_EQ(pending.json().at("state"), "pending");
  const std::string approval(pending.json().at("approval_id").as_string());
  // Until approved, production has no policy: deny by default.
  boost::json::object before =
      Decide(admin_token_, Evaluation("read", "payments", ""));
  EXPECT_EQ(before["decision"], false);
  EXPECT_EQ(before["context"].at("id"), "no-policy");

  HttpReply self =
      client_->Post("/v1/approvals/" + approval + "/approve", proposer_,
                    boost::json::object{{"reason", "mine"}});
  EXPECT_EQ(self.status, 403) << self.body;
  HttpReply approved =
      client_->Post("/v1/approvals/" + approval + "/approve", approver_,
                    boost::json::object{{"reason", "reviewed"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(
      Decide(admin_token_, Evaluation("read", "payments", ""))["decision"],
      true);

  HttpReply active = client_->Get("/v1/access/policies/production", approver_);
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(active.json().at("version"), 1);
  EXPECT_EQ(active.json().at("decided_by"), "quinn");
  EXPECT_TRUE(active.json().at("document").is_object());
  HttpReply history =
      client_->Get("/v1/access/policies/staging/versions", admin_token_);
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(client_->Get("/v1/access/policies/moon", admin_token_).status, 404);
  EXPECT_EQ(Propose("staging", WorkloadPolicy(), CreateToken("auditor")).status,
            403);
}

TEST_F(AccessDecisionTest, SpeaksTheAuthorizationApi) {
  HttpReply staged = Propose("production",
                             boost::json::parse(R"({
        "roles": {"viewer": {"permissions": ["read"]},
                  "editor": {"inherits": ["viewer"],
                             "permissions": ["write"]}},
        "entities": [
          {"type": "user", "id": "ann", "roles": ["editor"]},
          {"type": "user", "id": "bob", "roles": ["viewer"]},
          {"type": "doc", "id": "d1"}, {"type": "doc", "id": "d2"}],
        "rules": [{"id": "no-secret-docs", "effect": "forbid",
                   "resource": {"ids": ["d2"]},
                   "unless": {"has_role": "editor"}}]})")
                                 .as_object(),
                             proposer_);
  ASSERT_EQ(staged.status, 202) << staged.body;
  ASSERT_EQ(
      client_
          ->Post("/v1/approvals/" +
                     std::string(staged.json().at("approval_id").as_string()) +
                     "/approve",
                 approver_, boost::json::object{{"reason", "ok"}})
          .status,
      200);
  const std::string sdk = CreateToken("sdk", {}, "production");

  // Metadata names every endpoint under the server's own URL.
  HttpReply metadata = client_->Get("/.well-known/authzen-configuration");
  ASSERT_EQ(metadata.status, 200) << metadata.body;
  const std::string pdp(
      metadata.json().at("policy_decision_point").as_string());
  EXPECT_EQ(metadata.json().at("access_evaluations_endpoint").as_string(),
            pdp + "/access/v1/evaluations");
  EXPECT_EQ(metadata.json().at("search_action_endpoint").as_string(),
            pdp + "/access/v1/search/action");

  // The client's X-Request-ID comes back.
  HttpReply echoed = client_->Send(
      "POST", "/access/v1/evaluation", sdk,
      R"({"subject":{"type":"user","id":"bob"},"action":{"name":"read"},
          "resource":{"type":"doc","id":"d1"}})",
      {{"X-Request-ID", "bfe9eb29-ab87-4ca3-be83-a1d5d8305716"}});
  ASSERT_EQ(echoed.status, 200) << echoed.body;
  EXPECT_EQ(echoed.header("x-request-id"),
            "bfe9eb29-ab87-4ca3-be83-a1d5d8305716");
  EXPECT_EQ(echoed.json().at("decision"), true);
  EXPECT_EQ(echoed.json().at("context").at("id"), "role:viewer");
  // The interop suite sends its API key as the whole Authorization value.
  HttpReply bare = client_->Send(
      "POST", "/access/v1/evaluation", "",
      R"({"subject":{"type":"user","id":"bob"},"action":{"name":"read"},
          "resource":{"type":"doc","id":"d1"}})",
      {{"Authorization", sdk}});
  EXPECT_EQ(bare.status, 200) << bare.body;

  // Boxcarred, with defaults and each semantic.
  const std::string batch = R"({"subject":{"type":"user","id":"bob"},
      "action":{"name":"read"},%OPTIONS%
      "evaluations":[{"resource":{"type":"doc","id":"d1"}},
                     {"resource":{"type":"doc","id":"d2"}},
                     {"resource":{"type":"doc"}},
                     {"action":{"name":"write"},
                      "resource":{"type":"doc","id":"d1"}}]})";
  auto run = [&](const std::string& options) {
    std::string body = batch;
    body.replace(body.find("%OPTIONS%"), 9, options);
    HttpReply reply =
        client_->Send("POST", "/access/v1/evaluations", sdk, body);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json().at("evaluations").as_array();
  };
  boost::json::array all = run("");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(boost::json::serialize(all[0]), R"({"decision":true})");
  EXPECT_EQ(boost::json::serialize(all[1]), R"({"decision":false})");
  EXPECT_EQ(all[2].at("context").at("error").at("status"), 400);
  EXPECT_EQ(boost::json::serialize(all[3]), R"({"decision":false})");
  boost::json::array first_deny =
      run(R"("options":{"evaluations_semantic":"deny_on_first_deny",
                         "include_reasons":true},)");
  ASSERT_EQ(first_deny.size(), 2u);
  EXPECT_EQ(first_deny[1].at("context").at("id"), "rule:no-secret-docs");
  EXPECT_EQ(
      run(R"("options":{"evaluations_semantic":"permit_on_first_permit"},)")
          .size(),
      1u);

  // Searches return what an evaluation would permit.
  HttpReply subjects =
      client_->Post("/access/v1/search/subject", sdk,
                    boost::json::parse(R"({"subject":{"type":"user"},
          "action":{"name":"read"},"resource":{"type":"doc","id":"d2"}})"));
  ASSERT_EQ(subjects.status, 200) << subjects.body;
  EXPECT_EQ(boost::json::serialize(subjects.json().at("results")),
            R"([{"type":"user","id":"ann"}])");
  EXPECT_EQ(subjects.json().at("page").at("next_token"), "");
  HttpReply resources =
      client_->Post("/access/v1/search/resource", sdk,
                    boost::json::parse(R"({"subject":{"type":"user","id":"bob"},
          "action":{"name":"read"},"resource":{"type":"doc"},
          "page":{"limit":1}})"));
  ASSERT_EQ(resources.status, 200) << resources.body;
  EXPECT_EQ(resources.json().at("results").as_array().size(), 1u);
  const std::string next(
      resources.json().at("page").at("next_token").as_string());
  EXPECT_FALSE(next.empty());
  HttpReply actions =
      client_->Post("/access/v1/search/action", sdk,
                    boost::json::parse(R"({"subject":{"type":"user","id":"ann"},
          "resource":{"type":"doc","id":"d1"}})"));
  ASSERT_EQ(actions.status, 200) << actions.body;
  EXPECT_EQ(boost::json::serialize(actions.json().at("results")),
            R"([{"name":"read"},{"name":"write"}])");

  // Errors of the request are problems; callers without the right, 403.
  HttpReply missing =
      client_->Send("POST", "/access/v1/evaluation", sdk,
                    R"({"subject":{"type":"user"},"action":{"name":"read"},
          "resource":{"type":"doc","id":"d1"}})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.content_type(), "application/problem+json");
  EXPECT_NE(missing.body.find("subject.id is required"), std::string::npos);
  EXPECT_EQ(client_->Send("POST", "/access/v1/evaluation", sdk, "{").status,
            400);
  EXPECT_EQ(client_
                ->Post("/access/v1/evaluation", CreateToken("auditor"),
                       boost::json::parse(R"({"subject":{"type":"u",
              "id":"a"},"action":{"name":"x"},"resource":{"type":"r",
              "id":"1"}})"))
                .status,
            403);
  EXPECT_EQ(client_->Send("POST", "/access/v1/evaluation", "", "{}").status,
            401);
  // A tenant-bound token is a customer-side credential: no decisions.
  EXPECT_EQ(client_
                ->Post("/access/v1/evaluation",
                       CreateTenantToken("acme", "production"),
                       boost::json::parse(R"({"subject":{"type":"u",
              "id":"a"},"action":{"name":"x"},"resource":{"type":"r",
              "id":"1"}})"))
                .status,
            403);

  // Every decision is counted in the audit log (summaries).
  HttpReply audit = client_->Get(
      "/v1/audit?order=desc&limit=50&action=access.evaluate", admin_token_);
  for (int i = 0;
       i < 100 && audit.body.find("\"summary\"") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    audit = client_->Get("/v1/audit?order=desc&limit=50&action=access.evaluate",
                         admin_token_);
  }
  EXPECT_NE(audit.body.find("role:viewer"), std::string::npos) << audit.body;
  EXPECT_NE(audit.body.find("\"deny\""), std::string::npos) << audit.body;
}

TEST_F(AccessDecisionTest, SparseSearchesAnswerBoundedPages) {
  // 12,000 documents, none readable: a page looks at 10,000 at most.
  boost::json::array entities;
  for (int i = 0; i < 12000; ++i) {
    entities.push_back({{"type", "doc"}, {"id", "d" + std::to_string(i)}});
  }
  boost::json::object policy{
      {"roles", {{"viewer", {{"permissions", {"read"}}}}}},
      {"entities", std::move(entities)}};
  ASSERT_EQ(Propose("staging", policy, proposer_).status, 201);
  const std::string sdk = CreateToken("sdk", {}, "staging");
  const std::string search = R"({"subject":{"type":"user","id":"nobody"},
      "action":{"name":"read"},"resource":{"type":"doc"})";
  HttpReply first =
      client_->Send("POST", "/access/v1/search/resource", sdk, search + "}");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(first.json().at("results").as_array().empty());
  const std::string token(first.json().at("page").at("next_token").as_string());
  EXPECT_EQ(token, "v1:10000");
  HttpReply last =
      client_->Send("POST", "/access/v1/search/resource", sdk,
                    search + R"(,"page":{"token":")" + token + R"("}})");
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(last.json().at("page").at("next_token"), "");
  HttpReply stale = client_->Send("POST", "/access/v1/search/resource", sdk,
                                  search + R"(,"page":{"token":"v9:1"}})");
  EXPECT_EQ(stale.status, 400) << stale.body;
  EXPECT_NE(stale.body.find("stale-page-token"), std::string::npos);
}

// Decisions answer on the I/O thread once the caller's token is cached:
// only the first call of a token reaches the worker pool, and each decision
// is counted once whichever thread answered it.
class InlineDecisionTest : public AccessDecisionTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    AccessDecisionTest::Configure(options);
    options.before_handler_for_test = [this] { ++worker_runs_; };
  }
  std::atomic<int> worker_runs_{0};
};

TEST_F(InlineDecisionTest, CachedCallersAreAnsweredInlineAndCountedOnce) {
  ASSERT_EQ(Propose("staging",
                    boost::json::parse(R"({"roles": {"viewer":
                        {"permissions": ["read"]}}})")
                        .as_object(),
                    proposer_)
                .status,
            201);
  const std::string sdk = CreateToken("sdk", {}, "staging");
  const std::string body = R"({"subject":{"type":"user","id":"u",
      "properties":{"roles":["viewer"]}},"action":{"name":"read"},
      "resource":{"type":"doc","id":"d"}})";
  HttpReply first = client_->Send("POST", "/access/v1/evaluation", sdk, body);
  ASSERT_EQ(first.status, 200) << first.body;
  const int after_first = worker_runs_.load();
  EXPECT_GE(after_first, 1);  // a token not yet cached: a worker decides
  for (int i = 0; i < 9; ++i) {
    HttpReply again = client_->Send("POST", "/access/v1/evaluation", sdk, body);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json().at("decision"), true);
  }
  EXPECT_EQ(worker_runs_.load(), after_first);  // the nine: inline

  // Ten decisions, counted ten times: one summary, count 10.
  int counted = 0;
  for (int i = 0; i < 100 && counted < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    HttpReply audit = client_->Get(
        "/v1/audit?order=desc&limit=50&action=access.evaluate", admin_token_);
    counted = 0;
    const boost::json::value page = audit.json();
    for (const auto& record : page.at("items").as_array()) {
      const auto& details = record.at("details");
      if (details.as_object().contains("count") &&
          record.at("outcome") == "allow") {
        counted += static_cast<int>(details.at("count").to_number<int64_t>());
      }
    }
  }
  EXPECT_EQ(counted, 10);
}

}  // namespace
}  // namespace warden::testing_http
