// One release from deployment to recovery, over real HTTP with real OAuth
// tokens: deploy -> internal -> canary -> an account manager's approval for
// a high-risk tenant -> 50 % -> a guardrail breach that pauses it -> a
// limit on one integration -> recovery. At each step it asserts what each
// tenant sees (OFREP) and which tokens work (RFC 7662 introspection).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.h"
#include "core/time_format.h"
#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

constexpr char kFlags[] = R"({"flags": {
  "new-checkout": {"state": "ENABLED", "variants": {"on": true, "off": false},
                   "defaultVariant": "on"},
  "payments-v2": {"state": "ENABLED", "variants": {"on": true, "off": false},
                  "defaultVariant": "on"}}})";

constexpr char kPlan[] = R"([
  {"name": "internal", "audience": {"segments": ["internal"]}},
  {"name": "canary", "audience": {"segments": ["canary"]}},
  {"name": "half", "audience": {"percentage": 50},
   "guardrails": [{"signal": "error_rate", "max": 0.05}]},
  {"name": "everyone", "audience": {"everyone": true}}])";

// What one tenant sees of one flag.
struct Seen {
  bool on = false;
  std::string reason;
};

class ReleaseScenarioTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(client_
                  ->Send("POST", "/v1/flags/import?environment=production",
                         admin_token_, kFlags)
                  .status,
              200);
    deploy_ = CreateToken("deploy");
    dev_ = CreateUserToken("olive", "app_owner", "payments");
    sec_ = CreateUserToken("sam", "security");
    amy_ = CreateUserToken("amy", "account_manager");
    zed_ = CreateUserToken("zed", "account_manager");
    AddTenant("internal-co", "amy", {});
    AddTenant("acme", "amy", {"stripe"});
    AddTenant("globex", "amy", {});
    AddTenant("initech", "zed", {});
    AddSegment("internal", "internal-co");
    AddSegment("canary", "acme");
    json::object vendor = IdentityBody("stripe-sync", "payments", "production");
    vendor["vendor"] = "stripe";
    HttpReply created = client_->Post("/v1/identities", admin_token_, vendor);
    ASSERT_EQ(created.status, 201) << created.body;
    stripe_id_ = std::string(created.json().at("id").as_string());
    stripe_secret_ = RegisterSecret(stripe_id_);
  }

  void AddTenant(const std::string& key, const std::string& manager,
                 std::vector<std::string> integrations) {
    HttpReply reply = client_->Post(
        "/v1/tenants", admin_token_,
        json::object{{"key", key},
                     {"name", key},
                     {"account_manager", manager},
                     {"integrations",
                      json::array(integrations.begin(), integrations.end())}});
    ASSERT_EQ(reply.status, 201) << reply.body;
  }

  void AddSegment(const std::string& key, const std::string& tenant) {
    HttpReply reply = client_->Post(
        "/v1/segments", admin_token_,
        json::object{{"key", key}, {"tenants", json::array{tenant}}});
    ASSERT_EQ(reply.status, 201) << reply.body;
  }

  Seen See(const std::string& tenant, const std::string& flag) {
    HttpReply reply = client_->Post(
        "/ofrep/v1/evaluate/flags/" + flag + "?environment=production",
        admin_token_,
        json::object{{"context", json::object{{"targetingKey", tenant}}}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {};
    const json::value body = reply.json();
    return {body.at("value").as_bool(),
            std::string(body.at("reason").as_string())};
  }

  HttpReply Act(const std::string& verb, const std::string& token,
                const std::string& reason) {
    return client_->Post("/v1/releases/" + release_ + "/" + verb, token,
                         json::object{{"reason", reason}});
  }

  void Approve(const std::string& approval, const std::string& token) {
    HttpReply reply =
        client_->Post("/v1/approvals/" + approval + "/approve", token,
                      json::object{{"reason", "reviewed"}});
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  // Advances past a stage approval: the first try is refused with the
  // request it opened, security approves it, the second try enters.
  std::string AdvanceWithApproval(const std::string& reason) {
    HttpReply refused = Act("advance", dev_, reason);
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.json().at("type").as_string(),
              "urn:warden:problem:approval-required");
    const std::string approval(refused.json().at("approval_id").as_string());
    Approve(approval, sec_);
    HttpReply entered = Act("advance", dev_, reason);
    EXPECT_EQ(entered.status, 200) << entered.body;
    return entered.status == 200
               ? std::string(entered.json().at("stage").as_string())
               : std::string();
  }

  std::string deploy_, dev_, sec_, amy_, zed_;
  std::string stripe_id_, stripe_secret_;
  std::string release_;
};

TEST_F(ReleaseScenarioTest, DeployStagesApprovalGuardrailLimitRecovery) {
  // 1. CI records the deploy: dark everywhere, high risk (a vendor identity).
  HttpReply recorded = client_->Post(
      "/v1/releases", deploy_,
      json::object{
          {"service", "checkout"},
          {"version", "2.4.1"},
          {"environment", "production"},
          {"owner", "payments"},
          {"flags", {"new-checkout", "payments-v2"}},
          {"identities", {"stripe-sync", "checkout-worker"}},
          {"integrations", {"stripe"}},
          {"notes",
           {{"changes", {"One-page checkout"}},
            {"safe_for_all", {"new-checkout"}},
            {"customer_notice", "Payments move to the v2 processor."}}},
          {"plan", json::parse(kPlan)}});
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  release_ = std::string(recorded.json().at("id").as_string());
  EXPECT_EQ(recorded.json().at("risk_tier").as_string(), "high");
  EXPECT_EQ(recorded.json().at("stage").as_string(), "deployed");
  EXPECT_EQ(client_->Get("/v1/releases/" + release_, deploy_).status, 403);
  for (const char* tenant : {"internal-co", "acme", "globex", "initech"}) {
    EXPECT_EQ(See(tenant, "new-checkout").reason, "STAGED") << tenant;
  }
  const std::string stripe_token = RequestToken(stripe_id_, stripe_secret_)
                                       .json()
                                       .at("access_token")
                                       .as_string()
                                       .c_str();
  const std::string worker_token = Token();
  ASSERT_TRUE(Active(stripe_token));
  ASSERT_TRUE(Active(worker_token));

  // 2. internal: a high-risk stage needs a security approval first.
  EXPECT_EQ(AdvanceWithApproval("internal dogfood"), "internal");
  EXPECT_TRUE(See("internal-co", "new-checkout").on);
  EXPECT_EQ(See("acme", "new-checkout").reason, "STAGED");
  // The gated flag needs the tenant's account manager, whatever the stage.
  EXPECT_EQ(See("internal-co", "payments-v2").reason, "GATED");

  // 3. canary.
  EXPECT_EQ(AdvanceWithApproval("canary"), "canary");
  EXPECT_TRUE(See("acme", "new-checkout").on);
  EXPECT_EQ(See("acme", "payments-v2").reason, "GATED");
  EXPECT_EQ(See("globex", "new-checkout").reason, "STAGED");

  // 4. acme's account manager approves its activation; a notice follows.
  HttpReply activation = client_->Post(
      "/v1/releases/" + release_ + "/activations", dev_,
      json::object{{"tenant", "acme"}, {"reason", "acme asked for v2"}});
  ASSERT_EQ(activation.status, 201) << activation.body;
  const std::string acme_approval(activation.json().at("id").as_string());
  EXPECT_EQ(client_
                ->Post("/v1/approvals/" + acme_approval + "/approve", zed_,
                       json::object{{"reason", "not mine"}})
                .status,
            403);
  Approve(acme_approval, amy_);
  EXPECT_EQ(See("acme", "payments-v2").reason, "GATED");  // no notice yet
  HttpReply notice =
      client_->Post("/v1/tenants/acme/consents", amy_,
                    json::object{{"kind", "notice"}, {"release", release_}});
  ASSERT_EQ(notice.status, 201) << notice.body;
  EXPECT_TRUE(See("acme", "payments-v2").on);

  // 5. 50 %: readiness first (the rollback runbook has no dry run yet and
  // the identities never used their scopes), every reason listed.
  HttpReply unready = Act("advance", dev_, "half");
  ASSERT_EQ(unready.status, 409) << unready.body;
  EXPECT_EQ(unready.json().at("type").as_string(),
            "urn:warden:problem:readiness-failed");
  const std::string reasons = json::serialize(unready.json().at("reasons"));
  EXPECT_NE(reasons.find("runbook.dry_run"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("identities.scopes"), std::string::npos) << reasons;
  for (const char* identity : {"stripe-sync", "checkout-worker"}) {
    HttpReply waiver = client_->Post(
        "/v1/exceptions", dev_,
        json::object{
            {"identity_name", identity},
            {"rule", "scopes_wider_than_used"},
            {"justification", "read scope kept for reconciliation"},
            {"expires_at", FormatRfc3339(SystemClock().Now() +
                                         std::chrono::hours(24 * 300))}});
    ASSERT_EQ(waiver.status, 201) << waiver.body;
    HttpReply approved = client_->Post(
        "/v1/exceptions/" + std::string(waiver.json().at("id").as_string()) +
            "/approve",
        sec_, json::object{});
    ASSERT_EQ(approved.status, 200) << approved.body;
  }
  HttpReply dry_run = client_->Post(
      "/v1/releases/" + release_ + "/runbook/dry-run", dev_, json::object{});
  ASSERT_EQ(dry_run.status, 200) << dry_run.body;
  EXPECT_TRUE(dry_run.json().at("dry_run").at("ok").as_bool());
  HttpReply readiness =
      client_->Get("/v1/releases/" + release_ + "/readiness", dev_);
  ASSERT_EQ(readiness.status, 200);
  EXPECT_TRUE(readiness.json().at("ready").as_bool()) << readiness.body;
  EXPECT_EQ(AdvanceWithApproval("half"), "half");
  // payments-v2 stays gated for tenants without approval, whatever the
  // percentage says; new-checkout (safe for all) follows the percentage.
  for (const char* tenant : {"globex", "initech"}) {
    EXPECT_EQ(See(tenant, "payments-v2").reason, "GATED") << tenant;
    const Seen seen = See(tenant, "new-checkout");
    EXPECT_TRUE(seen.on || seen.reason == "STAGED") << tenant;
  }
  EXPECT_TRUE(See("acme", "payments-v2").on);

  // 6. A guardrail breach pauses the release, as the system.
  HttpReply breach = client_->Post(
      "/v1/releases/" + release_ + "/signals", dev_,
      json::object{{"signals", {{"error_rate", 0.12}}}, {"source", "ci"}});
  ASSERT_EQ(breach.status, 200) << breach.body;
  EXPECT_EQ(breach.json().at("action").as_string(), "paused");
  EXPECT_EQ(breach.json().at("release").at("state").as_string(), "paused");
  HttpReply audit =
      client_->Get("/v1/audit?action=release.pause&actor=system", admin_token_);
  ASSERT_EQ(audit.status, 200);
  EXPECT_FALSE(audit.json().at("items").as_array().empty()) << audit.body;

  // 7. Security limits the stripe integration: acme (which uses it) loses
  // the release's flags, and the vendor identity's tokens stop working,
  // while the internal worker's token keeps working.
  HttpReply limit =
      client_->Post("/v1/limits", sec_,
                    json::object{{"scope", "integration"},
                                 {"values", {"stripe"}},
                                 {"reason", "stripe webhook anomaly"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  EXPECT_TRUE(limit.json().as_object().contains("report"));
  const std::string limit_id(limit.json().at("id").as_string());
  EXPECT_EQ(See("acme", "new-checkout").reason, "LIMITED");
  EXPECT_EQ(See("acme", "payments-v2").reason, "LIMITED");
  EXPECT_TRUE(See("internal-co", "new-checkout").on);
  EXPECT_FALSE(Active(stripe_token));
  EXPECT_TRUE(Active(worker_token));
  EXPECT_NE(RequestToken(stripe_id_, stripe_secret_).status, 200);

  // 8. Recovery: the limit is lifted (revoked tokens stay revoked), the
  // release resumes to everyone after a security approval.
  HttpReply lifted =
      client_->Post("/v1/limits/" + limit_id + "/lift", sec_,
                    json::object{{"reason", "stripe fixed the webhook"}});
  ASSERT_EQ(lifted.status, 200) << lifted.body;
  EXPECT_TRUE(See("acme", "payments-v2").on);
  EXPECT_FALSE(Active(stripe_token));
  EXPECT_EQ(RequestToken(stripe_id_, stripe_secret_).status, 200);
  // The service reports healthy again: a crossed guardrail fails readiness.
  HttpReply healthy = client_->Post(
      "/v1/releases/" + release_ + "/signals", dev_,
      json::object{{"signals", {{"error_rate", 0.01}}}, {"source", "ci"}});
  ASSERT_EQ(healthy.status, 200) << healthy.body;
  EXPECT_EQ(AdvanceWithApproval("recovered"), "everyone");
  for (const char* tenant : {"internal-co", "acme", "globex", "initech"}) {
    EXPECT_TRUE(See(tenant, "new-checkout").on) << tenant;
  }
  EXPECT_EQ(See("globex", "payments-v2").reason, "GATED");
  EXPECT_TRUE(See("acme", "payments-v2").on);

  // The tenant's changelog says what acme has.
  HttpReply changelog =
      client_->Get("/v1/tenants/acme/changelog?format=markdown", amy_);
  ASSERT_EQ(changelog.status, 200) << changelog.body;
  EXPECT_NE(changelog.body.find("One-page checkout"), std::string::npos);
  EXPECT_NE(changelog.body.find("payments-v2"), std::string::npos);
}

// A limit on a whole release: its flags off everywhere, its identities'
// tokens revoked, their static secrets due for rotation, in one call.
TEST_F(ReleaseScenarioTest, ReleaseLimitTakesFlagsTokensAndSecrets) {
  HttpReply secret = client_->Post(
      "/v1/secrets", admin_token_,
      json::object{{"name", "worker-db"}, {"identity", id_}, {"value", "pw"}});
  ASSERT_EQ(secret.status, 201) << secret.body;
  HttpReply recorded =
      client_->Post("/v1/releases", deploy_,
                    json::object{{"service", "checkout"},
                                 {"version", "3.0.0"},
                                 {"owner", "payments"},
                                 {"flags", {"new-checkout"}},
                                 {"identities", {"checkout-worker"}},
                                 {"plan", json::parse(R"([{"name": "all",
                     "audience": {"everyone": true},
                     "requires_readiness": false}])")}});
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  release_ = std::string(recorded.json().at("id").as_string());
  // checkout-worker is a production identity: a medium-or-higher release.
  EXPECT_EQ(AdvanceWithApproval("ship it"), "all");
  EXPECT_TRUE(See("acme", "new-checkout").on);
  const std::string token = Token();
  ASSERT_TRUE(Active(token));

  HttpReply limit =
      client_->Post("/v1/limits", sec_,
                    json::object{{"scope", "release"},
                                 {"values", {release_}},
                                 {"reason", "3.0.0 corrupts carts"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  const json::value answer = limit.json();
  EXPECT_EQ(answer.at("scope").as_string(), "release");
  EXPECT_EQ(answer.at("flags").as_array().size(), 1u);
  EXPECT_EQ(json::serialize(answer.at("report").at("rotations_queued")),
            R"(["worker-db"])");
  EXPECT_EQ(See("acme", "new-checkout").reason, "LIMITED");
  EXPECT_TRUE(See("acme", "payments-v2").on);  // not shipped by it
  EXPECT_FALSE(Active(token));
  EXPECT_NE(RequestToken(id_, secret_).status, 200);

  HttpReply lifted = client_->Post(
      "/v1/limits/" + std::string(answer.at("id").as_string()) + "/lift", sec_,
      json::object{{"reason", "fixed in 3.0.1"}});
  ASSERT_EQ(lifted.status, 200) << lifted.body;
  EXPECT_TRUE(See("acme", "new-checkout").on);
  EXPECT_FALSE(Active(token));
  EXPECT_EQ(client_
                ->Post("/v1/limits", sec_,
                       json::object{{"scope", "release"},
                                    {"values", {"no-such-release"}},
                                    {"reason", "x"}})
                .status,
            400);
}

TEST_F(ReleaseScenarioTest, ReverseViewsAndRefusals) {
  HttpReply recorded =
      client_->Post("/v1/releases", deploy_,
                    json::object{{"service", "checkout"},
                                 {"version", "2.4.2"},
                                 {"owner", "payments"},
                                 {"flags", {"new-checkout"}},
                                 {"identities", {"checkout-worker"}}});
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  const std::string id(recorded.json().at("id").as_string());
  HttpReply by_flag = client_->Get("/v1/releases?flag=new-checkout", dev_);
  ASSERT_EQ(by_flag.status, 200);
  EXPECT_EQ(by_flag.json().at("items").as_array().size(), 1u);
  HttpReply by_identity = client_->Get("/v1/releases?identity=" + id_, dev_);
  EXPECT_EQ(by_identity.json().at("items").as_array().size(), 1u);
  HttpReply dependents =
      client_->Get("/v1/flags/production/new-checkout/dependents", dev_);
  ASSERT_EQ(dependents.status, 200) << dependents.body;
  EXPECT_EQ(dependents.json().at("releases").as_array().size(), 1u);
  EXPECT_EQ(dependents.json().at("identities").at(0).at("id").as_string(), id_);
  HttpReply dependencies =
      client_->Get("/v1/releases/" + id + "/dependencies", dev_);
  ASSERT_EQ(dependencies.status, 200) << dependencies.body;
  EXPECT_TRUE(dependencies.json()
                  .at("identities")
                  .at(0)
                  .at("can_hold_tokens")
                  .as_bool());
  EXPECT_EQ(client_->Get("/v1/releases?flag=unknown", dev_)
                .json()
                .at("items")
                .as_array()
                .size(),
            0u);
  // Bad input: 4xx problems, never a crash.
  EXPECT_EQ(client_
                ->Post("/v1/releases", deploy_,
                       json::object{{"service", "x"}, {"owner", "payments"}})
                .status,
            400);
  EXPECT_EQ(client_
                ->Post("/v1/releases", deploy_,
                       json::object{{"service", "x"},
                                    {"version", "1"},
                                    {"owner", "payments"},
                                    {"plan", "not a plan"}})
                .status,
            400);
  EXPECT_EQ(
      client_->Post("/v1/releases/" + id + "/advance", dev_, json::object{})
          .status,
      400);
  EXPECT_EQ(client_
                ->Post("/v1/releases/nope/advance", dev_,
                       json::object{{"reason", "x"}})
                .status,
            404);
  EXPECT_EQ(client_
                ->Post("/v1/releases/" + id + "/signals", dev_,
                       json::object{{"signals", {{"error_rate", "high"}}}})
                .status,
            400);
  // deploy records and nothing else.
  EXPECT_EQ(client_
                ->Post("/v1/releases/" + id + "/advance", deploy_,
                       json::object{{"reason", "x"}})
                .status,
            403);
  EXPECT_EQ(client_->Get("/v1/releases", deploy_).status, 403);
  EXPECT_EQ(client_->Get("/v1/identities", deploy_).status, 403);
}

}  // namespace
}  // namespace warden::testing_http
