// Release governance over a real store: recording, risk derivation, stages
// with their readiness and approval gates, guardrails, the scheduler and
// the gates the evaluator gets.
#include "releases/release_service.h"

#include <boost/json/parse.hpp>

#include "exposure/config_feed.h"
#include "releases/release_gates.h"
#include "releases/stage_controller.h"
#include "releases/tenant_releases.h"
#include "service/credential_test_seed.h"
#include "service/service_test_env.h"

namespace warden::releases {
namespace {

namespace json = boost::json;
using std::chrono::minutes;

class ReleaseServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    SeedTeam("payments");
    SeedTeam("search");
    publisher_ = std::make_unique<exposure::ExposurePublisher>(*store_, feed_);
    publisher_->SetGateLoader(&LoadReleaseGates);
    approvals_ =
        std::make_unique<approvals::ApprovalEngine>(*store_, *auditor_);
    releases_ = std::make_unique<ReleaseService>(*store_, *auditor_,
                                                 *publisher_, *approvals_);
    releases_->RegisterApprovalKinds();
    stages_ = std::make_unique<StageController>(*store_, *auditor_, *publisher_,
                                                *approvals_);
    ASSERT_TRUE(publisher_->PublishAll({}).ok());
  }
  void TearDown() override {
    stages_.reset();
    releases_.reset();
    approvals_.reset();
    publisher_.reset();
    ServiceTestEnv::TearDown();
  }

  ReleaseRequest Request(std::vector<std::string> identities = {}) {
    ReleaseRequest request;
    request.service = "checkout";
    request.version = "2.4.1";
    request.owner = "payments";
    request.flags = {"new-checkout"};
    request.identities = std::move(identities);
    return request;
  }

  ReleaseRecord Recorded(ReleaseRequest request) {
    Result<ReleaseRecord> release = releases_->Record(deploy_, request);
    EXPECT_TRUE(release.ok()) << release.status().ToString();
    return release.ok() ? *release : ReleaseRecord{};
  }

  std::vector<eval::ReleaseGate> Gates() {
    std::vector<eval::ReleaseGate> gates;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(
                          gates,
                          LoadReleaseGates(tx, Environment::kProduction));
                      return Status::Ok();
                    })
                    .ok());
    return gates;
  }

  // Makes every readiness check pass for a release using `identity`.
  void MakeReady(const ReleaseRecord& release) {
    ASSERT_TRUE(store_
                    ->Write([&](Transaction& tx) -> Status {
                      FlagRecord flag;
                      flag.environment = Environment::kProduction;
                      flag.key = "new-checkout";
                      flag.type = "boolean";
                      flag.definition_json =
                          R"({"variants":{"on":true,"off":false},)"
                          R"("defaultVariant":"on"})";
                      flag.owner_team = "payments";
                      flag.created_at = flag.updated_at = clock_.Now();
                      return tx.flags().Insert(flag);
                    })
                    .ok());
    ASSERT_TRUE(releases_->DryRunRunbook(dev_, release.id).ok());
  }

  exposure::ConfigFeed feed_;
  std::unique_ptr<exposure::ExposurePublisher> publisher_;
  std::unique_ptr<approvals::ApprovalEngine> approvals_;
  std::unique_ptr<ReleaseService> releases_;
  std::unique_ptr<StageController> stages_;
  const Caller deploy_ = As(Role::kDeploy, "token:ci");
  const Caller dev_ = As(Role::kAppOwner, "olive", "payments");
  const Caller sec_ = As(Role::kSecurity, "sec");
};

TEST_F(ReleaseServiceTest, RecordDerivesTheRiskTierAndStartsDark) {
  Identity vendor = SeedIdentity(*store_, clock_.Now(), "stripe-sync",
                                 "payments", RiskTier::kLow);
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    vendor.vendor = "stripe";
                    ++vendor.version;
                    return tx.identities().Update(vendor);
                  })
                  .ok());
  ReleaseRecord release = Recorded(Request({"stripe-sync"}));
  EXPECT_EQ(release.risk_tier, RiskTier::kHigh);
  EXPECT_NE(release.risk_reason.find("stripe"), std::string::npos);
  EXPECT_EQ(release.identities, std::vector<std::string>{vendor.id});
  EXPECT_EQ(release.stage, 0);
  std::vector<eval::ReleaseGate> gates = Gates();
  ASSERT_EQ(gates.size(), 1u);
  EXPECT_EQ(gates[0].stage, "deployed");
  EXPECT_FALSE(gates[0].everyone);
  EXPECT_EQ(gates[0].cleared_flags, std::vector<std::string>{"new-checkout"});

  ReleaseRequest low = Request({"stripe-sync"});
  low.risk_tier = RiskTier::kLow;
  Status below = releases_->Record(deploy_, low).status();
  EXPECT_EQ(below.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(below.message().find("below the derived tier high"),
            std::string::npos);
}

TEST_F(ReleaseServiceTest, DeployRecordsAndNothingElse) {
  ReleaseRecord release = Recorded(Request());
  EXPECT_EQ(releases_->Get(deploy_, release.id).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(stages_->Advance(deploy_, release.id, "go").status().code(),
            StatusCode::kPermissionDenied);
  ReleaseRequest other = Request();
  other.owner = "search";
  EXPECT_EQ(releases_->Record(dev_, other).status().code(),
            StatusCode::kPermissionDenied);
  ReleaseRequest unknown = Request({"nobody"});
  EXPECT_NE(releases_->Record(deploy_, unknown)
                .status()
                .message()
                .find("no identity"),
            std::string::npos);
}

TEST_F(ReleaseServiceTest, BroadStagesNeedReadinessWithEveryReason) {
  ReleaseRecord release = Recorded(Request());
  ASSERT_TRUE(stages_->Advance(dev_, release.id, "internal").ok());
  ASSERT_TRUE(stages_->Advance(dev_, release.id, "canary").ok());
  AdvanceRefusal refusal;
  Status refused = stages_->Advance(dev_, release.id, "10%", &refusal).status();
  EXPECT_EQ(refused.problem(), "readiness-failed");
  ASSERT_FALSE(refusal.reasons.empty());
  EXPECT_NE(refusal.reasons[0].find("runbook.dry_run"), std::string::npos);
  MakeReady(release);
  Result<ReleaseRecord> advanced = stages_->Advance(dev_, release.id, "10%");
  ASSERT_TRUE(advanced.ok()) << advanced.status().ToString();
  EXPECT_EQ(advanced->stage, 3);
  std::vector<eval::ReleaseGate> gates = Gates();
  ASSERT_EQ(gates.size(), 1u);
  EXPECT_DOUBLE_EQ(gates[0].percentage, 10);
  EXPECT_EQ(gates[0].segments,
            (std::vector<std::string>{"internal", "canary"}));
}

TEST_F(ReleaseServiceTest, MediumRiskStagesNeedASecurityApproval) {
  ReleaseRequest request = Request();
  request.integrations = {"salesforce"};
  ReleaseRecord release = Recorded(request);
  EXPECT_EQ(release.risk_tier, RiskTier::kMedium);
  AdvanceRefusal refusal;
  Status refused =
      stages_->Advance(sec_, release.id, "internal", &refusal).status();
  EXPECT_EQ(refused.problem(), "approval-required");
  ASSERT_FALSE(refusal.approval_id.empty());
  // Asking again names the same pending request.
  AdvanceRefusal again;
  EXPECT_FALSE(stages_->Advance(dev_, release.id, "internal", &again).ok());
  EXPECT_EQ(again.approval_id, refusal.approval_id);
  // The requester cannot approve its own stage; another security user can.
  EXPECT_EQ(approvals_->Decide(sec_, refusal.approval_id, true, "ok")
                .status()
                .problem(),
            "self-approval");
  ASSERT_TRUE(approvals_
                  ->Decide(As(Role::kSecurity, "sec2"), refusal.approval_id,
                           true, "reviewed")
                  .ok());
  EXPECT_TRUE(stages_->Advance(dev_, release.id, "internal").ok());
}

TEST_F(ReleaseServiceTest, GuardrailPausesOrRollsBackAsTheSystem) {
  ReleaseRequest request = Request();
  request.plan = json::parse(R"([
    {"name": "canary", "audience": {"tenants": ["acme"]},
     "guardrails": [{"signal": "error_rate", "max": 0.05}]},
    {"name": "half", "audience": {"percentage": 50},
     "requires_readiness": false,
     "guardrails": [{"signal": "error_rate", "max": 0.05}],
     "auto_rollback": true}])");
  ReleaseRecord release = Recorded(request);
  ASSERT_TRUE(stages_->Advance(dev_, release.id, "canary").ok());
  Result<SignalOutcome> fine =
      stages_->PostSignals(dev_, release.id, {{"error_rate", 0.01}}, "ci");
  ASSERT_TRUE(fine.ok()) << fine.status().ToString();
  EXPECT_TRUE(fine->action.empty());
  Result<SignalOutcome> breach =
      stages_->PostSignals(dev_, release.id, {{"error_rate", 0.2}}, "ci");
  ASSERT_TRUE(breach.ok());
  EXPECT_EQ(breach->action, "paused");
  EXPECT_EQ(breach->release.state, "paused");
  bool system_paused = false;
  for (const AuditRecord& record : AuditLog()) {
    if (record.event.action == "release.pause" &&
        record.event.actor == "system") {
      system_paused = true;
    }
  }
  EXPECT_TRUE(system_paused);
  // Advancing a paused release resumes it; a breach at the next stage
  // rolls back and takes the flags off for everyone.
  ASSERT_TRUE(stages_->Advance(dev_, release.id, "recovered").ok());
  Result<SignalOutcome> rollback =
      stages_->PostSignals(dev_, release.id, {{"error_rate", 0.3}}, "ci");
  ASSERT_TRUE(rollback.ok());
  EXPECT_EQ(rollback->action, "rolled_back");
  std::vector<eval::ReleaseGate> gates = Gates();
  ASSERT_EQ(gates.size(), 1u);
  EXPECT_EQ(gates[0].stage, "rolled_back");
  EXPECT_TRUE(gates[0].tenants.empty());
  EXPECT_EQ(stages_->Advance(dev_, release.id, "again").status().problem(),
            "release-rolled-back");
}

TEST_F(ReleaseServiceTest, ScheduledStagesAdvanceOnTheirOwn) {
  ReleaseRequest request = Request();
  request.plan = json::parse(R"([
    {"name": "canary", "audience": {"tenants": ["acme"]}},
    {"name": "wider", "audience": {"tenants": ["globex"]},
     "advance_after_minutes": 30}])");
  ReleaseRecord release = Recorded(request);
  ASSERT_TRUE(stages_->Advance(dev_, release.id, "canary").ok());
  EXPECT_EQ(*stages_->AdvanceDue(), 0);
  clock_.Advance(minutes(31));
  EXPECT_EQ(*stages_->AdvanceDue(), 1);
  Result<ReleaseRecord> now = releases_->Get(dev_, release.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->stage, 2);
  EXPECT_EQ(now->state, "completed");
}

// A scheduled stage that policy refuses is held once, not retried each
// minute, and the refusal is the release's state_reason.
TEST_F(ReleaseServiceTest, RefusedScheduledAdvanceIsHeld) {
  ReleaseRequest request = Request();
  request.integrations = {"salesforce"};  // medium: stages need approval
  request.plan = json::parse(R"([
    {"name": "canary", "audience": {"tenants": ["acme"]},
     "advance_after_minutes": 10},
    {"name": "wider", "audience": {"tenants": ["globex"]}}])");
  ReleaseRecord release = Recorded(request);
  AdvanceRefusal refusal;
  ASSERT_FALSE(stages_->Advance(dev_, release.id, "canary", &refusal).ok());
  ASSERT_TRUE(approvals_->Decide(sec_, refusal.approval_id, true, "ok").ok());
  Result<ReleaseRecord> canary = stages_->Advance(dev_, release.id, "canary");
  ASSERT_TRUE(canary.ok()) << canary.status().ToString();
  EXPECT_FALSE(canary->next_advance_at.has_value());  // stage 2 has no timer
  // Schedule the second stage by plan: the canary stage's timer is the
  // one that starts counting when canary is entered.
  ReleaseRequest timed = Request();
  timed.integrations = {"salesforce"};
  timed.plan = json::parse(R"([
    {"name": "canary", "audience": {"tenants": ["acme"]}},
    {"name": "wider", "audience": {"tenants": ["globex"]},
     "advance_after_minutes": 10}])");
  ReleaseRecord second = Recorded(timed);
  ASSERT_FALSE(stages_->Advance(dev_, second.id, "canary", &refusal).ok());
  ASSERT_TRUE(approvals_->Decide(sec_, refusal.approval_id, true, "ok").ok());
  ASSERT_TRUE(stages_->Advance(dev_, second.id, "canary").ok());
  clock_.Advance(minutes(11));
  EXPECT_EQ(*stages_->AdvanceDue(), 0);  // "wider" needs its own approval
  Result<ReleaseRecord> held = releases_->Get(dev_, second.id);
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(held->stage, 1);
  EXPECT_FALSE(held->next_advance_at.has_value());
  EXPECT_NE(held->state_reason.find("scheduled advance held"),
            std::string::npos);
  EXPECT_EQ(*stages_->AdvanceDue(), 0);
}

TEST_F(ReleaseServiceTest, HighRiskTenantsNeedApprovalAndNotice) {
  TenantRecord tenant;
  tenant.key = "acme";
  tenant.name = "Acme";
  tenant.account_manager = "amy";
  tenant.created_at = tenant.updated_at = clock_.Now();
  ASSERT_TRUE(
      store_
          ->Write([&](Transaction& tx) { return tx.tenants().Insert(tenant); })
          .ok());
  ReleaseRequest request = Request();
  request.risk_tier = RiskTier::kHigh;
  ReleaseRecord release = Recorded(request);
  Result<ApprovalRecord> activation =
      releases_->RequestActivation(dev_, release.id, "acme", "asked for it");
  ASSERT_TRUE(activation.ok()) << activation.status().ToString();
  EXPECT_EQ(activation->approver, "amy");
  std::vector<eval::ReleaseGate> gates = Gates();
  ASSERT_EQ(gates.size(), 1u);
  EXPECT_EQ(gates[0].pending_approvals.size(), 1u);
  const Caller am = As(Role::kAccountManager, "amy");
  ASSERT_TRUE(approvals_->Decide(am, activation->id, true, "customer ok").ok());
  EXPECT_TRUE(Gates()[0].cleared_tenants.empty());  // no notice yet
  TenantReleases tenants(*store_, *auditor_, *publisher_);
  ConsentRequest notice{"notice", "", {}, release.id};
  ASSERT_TRUE(tenants.RecordConsent(am, "acme", notice).ok());
  EXPECT_EQ(Gates()[0].cleared_tenants, std::vector<std::string>{"acme"});
  // Another account manager may not record for amy's tenant.
  EXPECT_EQ(
      tenants.RecordConsent(As(Role::kAccountManager, "zed"), "acme", notice)
          .status()
          .code(),
      StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace warden::releases
