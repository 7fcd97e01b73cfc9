// The exposure services against the real SQLite store: flags (create,
// patch, archive, import all-or-nothing, export, staleness), tenants,
// segments, exposure limits (who may set them, lifting), the evaluation
// recorder, and what each change publishes into the ConfigFeed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "exposure/config_feed.h"
#include "exposure/evaluation_recorder.h"
#include "exposure/exposure_publisher.h"
#include "exposure/flag_service.h"
#include "exposure/limit_service.h"
#include "exposure/segment_service.h"
#include "exposure/tenant_service.h"
#include "service/service_test_env.h"

namespace warden::exposure {
namespace {

using namespace std::chrono_literals;

constexpr char kFlagdFile[] = R"({
  "flags": {
    "checkout": {
      "state": "ENABLED",
      "variants": {"on": true, "off": false},
      "defaultVariant": "on",
      "metadata": {"owner": "payments"}
    },
    "banner": {
      "state": "ENABLED",
      "variants": {"red": "red", "blue": "blue"},
      "defaultVariant": "red",
      "targeting": {"if": [{"in": ["eu", {"var": "region"}]}, "blue", null]}
    }
  }
})";

class ExposureServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    publisher_ = std::make_unique<ExposurePublisher>(*store_, feed_);
    flags_ = std::make_unique<FlagService>(*store_, *auditor_, *publisher_);
    tenants_ = std::make_unique<TenantService>(*store_, *auditor_, *publisher_);
    segments_ =
        std::make_unique<SegmentService>(*store_, *auditor_, *publisher_);
    limits_ = std::make_unique<LimitService>(*store_, *auditor_, *publisher_);
  }
  void TearDown() override {
    limits_.reset();
    segments_.reset();
    tenants_.reset();
    flags_.reset();
    publisher_.reset();
    ServiceTestEnv::TearDown();
  }

  static wire::FlagSpec BoolFlag(const std::string& key,
                                 const std::string& owner = "payments") {
    boost::json::object json{{"key", key},
                             {"variants", {{"on", true}, {"off", false}}},
                             {"default_variant", "on"},
                             {"off_variant", "off"},
                             {"owner_team", owner}};
    Result<wire::FlagSpec> spec = wire::FlagSpecFromJson(json);
    EXPECT_TRUE(spec.ok()) << spec.status().ToString();
    return spec.ok() ? *spec : wire::FlagSpec{};
  }

  void SeedUser(const std::string& name, Role role) {
    User user;
    user.name = name;
    user.role = role;
    ASSERT_TRUE(
        store_->Write([&](Transaction& tx) { return tx.users().Insert(user); })
            .ok());
  }

  void AddTenant(const std::string& key, const std::string& manager) {
    TenantRecord tenant;
    tenant.key = key;
    tenant.name = key;
    tenant.account_manager = manager;
    auto created = tenants_->Create(Admin(), tenant);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  eval::EvaluationResult Evaluate(Environment env, const std::string& key,
                                  const std::string& tenant) {
    eval::EvaluationContext ctx;
    ctx.targeting_key = tenant;
    current_ = feed_.Current(env);
    return current_->snapshot->Evaluate(key, ctx);
  }

  ConfigFeed feed_;
  std::shared_ptr<const PublishedConfig> current_;
  std::unique_ptr<ExposurePublisher> publisher_;
  std::unique_ptr<FlagService> flags_;
  std::unique_ptr<TenantService> tenants_;
  std::unique_ptr<SegmentService> segments_;
  std::unique_ptr<LimitService> limits_;
};

TEST_F(ExposureServiceTest, CreatedFlagIsPublishedAndAudited) {
  Result<FlagView> created = NotFound("not run");
  AuditRecord record = EXPECT_ONE_AUDIT_RECORD({
    created =
        flags_->Create(Admin(), Environment::kProduction, BoolFlag("checkout"));
  });
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(record.event.action, "flag.create");
  EXPECT_EQ(record.event.target, "flag/production/checkout");
  auto published = feed_.Current(Environment::kProduction);
  EXPECT_EQ(published->revision, 1);
  EXPECT_NE(published->wire_json.Join().find("\"checkout\""),
            std::string::npos);
  EXPECT_NE(published->change_json.find("flag.create"), std::string::npos);
  EXPECT_EQ(Evaluate(Environment::kProduction, "checkout", "acme").reason,
            eval::Reason::kStatic);
  // Other environments are untouched.
  EXPECT_EQ(feed_.Current(Environment::kStaging)->revision, 0);
  auto again =
      flags_->Create(Admin(), Environment::kProduction, BoolFlag("checkout"));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(ExposureServiceTest, PatchDisablesAndChecksVersion) {
  ASSERT_TRUE(
      flags_->Create(Admin(), Environment::kDevelopment, BoolFlag("checkout"))
          .ok());
  auto stale = flags_->Patch(Admin(), Environment::kDevelopment, "checkout",
                             {{"state", "disabled"}}, 7);
  EXPECT_EQ(stale.status().problem(), "version-conflict");
  auto patched = flags_->Patch(Admin(), Environment::kDevelopment, "checkout",
                               {{"state", "disabled"}}, 1);
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ(patched->version, 2);
  EXPECT_EQ(Evaluate(Environment::kDevelopment, "checkout", "acme").reason,
            eval::Reason::kDisabled);
  auto unknown = flags_->Patch(Admin(), Environment::kDevelopment, "checkout",
                               {{"colour", "red"}}, std::nullopt);
  EXPECT_EQ(unknown.status().problem(), "unknown-field");
}

TEST_F(ExposureServiceTest, FlagThatDoesNotCompileIsRefusedWithItsPath) {
  wire::FlagSpec spec = BoolFlag("checkout");
  spec.flag.rules.push_back(
      {{{"plan", eval::ConditionOp::kRegex, boost::json::value("(")}}, "on"});
  auto created = flags_->Create(Admin(), Environment::kDevelopment, spec);
  ASSERT_EQ(created.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(created.status().message().find("flags.checkout.rules[0]"),
            std::string::npos)
      << created.status().message();
  auto missing = flags_->Get(Admin(), Environment::kDevelopment, "checkout");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(ExposureServiceTest, AppOwnerWritesOnlyItsTeamsFlags) {
  const Caller owner = As(Role::kAppOwner, "dana", "payments");
  EXPECT_TRUE(flags_
                  ->Create(owner, Environment::kDevelopment,
                           BoolFlag("checkout", "payments"))
                  .ok());
  auto other = flags_->Create(owner, Environment::kDevelopment,
                              BoolFlag("search", "search-team"));
  EXPECT_EQ(other.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(LastAudit().event.outcome, "deny");
  // Moving its flag to another team is a write on the other team too.
  auto moved = flags_->Patch(owner, Environment::kDevelopment, "checkout",
                             {{"owner_team", "search-team"}}, std::nullopt);
  EXPECT_EQ(moved.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ExposureServiceTest, ArchiveRemovesFromSnapshotAndCreateRevives) {
  ASSERT_TRUE(
      flags_->Create(Admin(), Environment::kDevelopment, BoolFlag("checkout"))
          .ok());
  ASSERT_TRUE(
      flags_->Archive(Admin(), Environment::kDevelopment, "checkout").ok());
  EXPECT_EQ(Evaluate(Environment::kDevelopment, "checkout", "a").error_code,
            eval::ErrorCode::kFlagNotFound);
  auto listed = flags_->List(Admin(), Environment::kDevelopment);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  auto revived =
      flags_->Create(Admin(), Environment::kDevelopment, BoolFlag("checkout"));
  ASSERT_TRUE(revived.ok()) << revived.status().ToString();
  EXPECT_EQ(revived->version, 3);
}

TEST_F(ExposureServiceTest, ImportIsAllOrNothingAndExportRoundTrips) {
  auto imported = flags_->Import(Admin(), Environment::kStaging, kFlagdFile);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->created, 2);
  eval::EvaluationContext eu;
  eu.targeting_key = "acme";
  eu.attributes["region"] = "eu";
  auto snapshot = feed_.Current(Environment::kStaging)->snapshot;
  EXPECT_EQ(snapshot->Evaluate("banner", eu).variant, "blue");

  // A file with one bad flag changes nothing, and names the path.
  std::string bad = kFlagdFile;
  bad.replace(bad.find("\"in\""), 4, "\"inn\"");
  bad.replace(bad.find("\"on\": true"), 10, "\"on\": false");
  auto refused = flags_->Import(Admin(), Environment::kStaging, bad);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("flags.banner.targeting"),
            std::string::npos)
      << refused.status().message();
  auto checkout = flags_->Get(Admin(), Environment::kStaging, "checkout");
  ASSERT_TRUE(checkout.ok());
  EXPECT_EQ(checkout->version, 1);

  auto exported = flags_->Export(Admin(), Environment::kStaging);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  auto reimported =
      flags_->Import(Admin(), Environment::kDevelopment, *exported);
  ASSERT_TRUE(reimported.ok()) << reimported.status().ToString();
  EXPECT_EQ(reimported->created, 2);
  auto dev = flags_->Get(Admin(), Environment::kDevelopment, "checkout");
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ(dev->spec.flag.metadata.owner_team, "payments");
}

TEST_F(ExposureServiceTest, FlagBecomesStaleWithoutChangeOrEvaluation) {
  wire::FlagSpec spec = BoolFlag("checkout");
  spec.stale_after_days = 10;
  ASSERT_TRUE(flags_->Create(Admin(), Environment::kDevelopment, spec).ok());
  clock_.Set(clock_.Now() + 11 * 24h);
  auto stale = flags_->List(Admin(), Environment::kDevelopment, true);
  ASSERT_TRUE(stale.ok());
  ASSERT_EQ(stale->size(), 1u);
  EXPECT_TRUE((*stale)[0].stale);

  EvaluationRecorder recorder(*store_, clock_);
  recorder.RecordEvaluations(Environment::kDevelopment,
                             std::vector<std::string>{"checkout", "nope"});
  ASSERT_TRUE(recorder.Flush().ok());
  stale = flags_->List(Admin(), Environment::kDevelopment, true);
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->empty());
  auto got = flags_->Get(Admin(), Environment::kDevelopment, "checkout");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->last_evaluated_at, clock_.Now());
  EXPECT_EQ(got->version, 1);
}

TEST_F(ExposureServiceTest, TenantNeedsARegisteredAccountManager) {
  TenantRecord tenant;
  tenant.key = "acme";
  tenant.account_manager = "nobody";
  auto refused = tenants_->Create(Admin(), tenant);
  EXPECT_EQ(refused.status().problem(), "unknown-user");
  SeedUser("alice", Role::kAccountManager);
  tenant.account_manager = "alice";
  tenant.integrations = {"sap", "github", "sap"};
  auto created = tenants_->Create(Admin(), tenant);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->integrations, (std::vector<std::string>{"github", "sap"}));
  TenantPatch patch;
  patch.attributes = boost::json::object{{"plan", "enterprise"}};
  auto updated = tenants_->Update(Admin(), "acme", patch);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->version, 2);
  EXPECT_NE(feed_.Current(Environment::kProduction)
                ->wire_json.Join()
                .find("enterprise"),
            std::string::npos);
}

TEST_F(ExposureServiceTest, SegmentMembersDriveInSegmentRules) {
  wire::FlagSpec spec = BoolFlag("checkout");
  spec.flag.default_variant = "off";
  spec.flag.rules.push_back(
      {{{"", eval::ConditionOp::kInSegment, boost::json::value("canary")}},
       "on"});
  // The segment must exist before a rule may name it.
  EXPECT_EQ(
      flags_->Create(Admin(), Environment::kDevelopment, spec).status().code(),
      StatusCode::kInvalidArgument);
  ASSERT_TRUE(segments_->Create(Admin(), "canary", "early", {}, {"acme"}).ok());
  ASSERT_TRUE(flags_->Create(Admin(), Environment::kDevelopment, spec).ok());
  EXPECT_EQ(Evaluate(Environment::kDevelopment, "checkout", "acme").variant,
            "on");
  EXPECT_EQ(Evaluate(Environment::kDevelopment, "checkout", "globex").variant,
            "off");
  auto added = segments_->AddTenants(Admin(), "canary", {"globex", "acme"});
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 1);
  EXPECT_EQ(Evaluate(Environment::kDevelopment, "checkout", "globex").variant,
            "on");
  auto view = segments_->Get(Admin(), "canary", true);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->record.tenant_count, 2);
  auto bad = segments_->AddTenants(Admin(), "canary", {"has space"});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ExposureServiceTest, TenantLimitTurnsFlagsOffForThatTenantOnly) {
  SeedUser("alice", Role::kAccountManager);
  AddTenant("acme", "alice");
  ASSERT_TRUE(
      flags_->Create(Admin(), Environment::kProduction, BoolFlag("checkout"))
          .ok());
  LimitRequest request;
  request.scope = "tenant";
  request.values = {"acme"};
  request.reason = "token leak at acme";
  auto limit = limits_->Set(As(Role::kSecurity, "sec-bob"), request);
  ASSERT_TRUE(limit.ok()) << limit.status().ToString();
  EXPECT_EQ(limit->actor, "sec-bob");
  eval::EvaluationResult limited =
      Evaluate(Environment::kProduction, "checkout", "acme");
  EXPECT_EQ(limited.reason, eval::Reason::kLimited);
  EXPECT_EQ(limited.variant, "off");
  EXPECT_EQ(limited.limit_id, limit->id);
  EXPECT_EQ(Evaluate(Environment::kProduction, "checkout", "globex").variant,
            "on");
  EXPECT_NE(
      feed_.Current(Environment::kProduction)->change_json.find("limit.set"),
      std::string::npos);

  auto lifted = limits_->Lift(Admin(), limit->id, "rotated");
  ASSERT_TRUE(lifted.ok()) << lifted.status().ToString();
  EXPECT_EQ(Evaluate(Environment::kProduction, "checkout", "acme").variant,
            "on");
  EXPECT_EQ(limits_->Lift(Admin(), limit->id, "again").status().problem(),
            "already-lifted");
  auto active = limits_->List(Admin(), true);
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(active->empty());
  auto all = limits_->List(Admin(), false);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].lift_reason, "rotated");
}

TEST_F(ExposureServiceTest, AccountManagerLimitsOnlyTheTenantsItManages) {
  SeedUser("alice", Role::kAccountManager);
  SeedUser("carol", Role::kAccountManager);
  AddTenant("acme", "alice");
  AddTenant("globex", "carol");
  const Caller alice = As(Role::kAccountManager, "alice");
  LimitRequest request;
  request.scope = "tenant";
  request.values = {"acme"};
  request.reason = "customer asked to pause";
  EXPECT_TRUE(limits_->Set(alice, request).ok());
  request.values = {"acme", "globex"};
  auto denied = limits_->Set(alice, request);
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(LastAudit().event.outcome, "deny");
  request.scope = "integration";
  request.values = {"sap"};
  EXPECT_EQ(limits_->Set(alice, request).status().code(),
            StatusCode::kPermissionDenied);
  // Auditors may read but not act.
  EXPECT_EQ(limits_->Set(As(Role::kAuditor, "aud"), request).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(limits_->List(As(Role::kAuditor, "aud"), false).ok());
}

// Who set a limit governs who lifts it.
TEST_F(ExposureServiceTest, AccountManagerCannotLiftSecurityLimit) {
  SeedUser("alice", Role::kAccountManager);
  SeedUser("carol", Role::kAccountManager);
  AddTenant("acme", "alice");
  const Caller alice = As(Role::kAccountManager, "alice");
  LimitRequest request;
  request.scope = "tenant";
  request.values = {"acme"};
  request.reason = "INC-42: credential stuffing from acme's integration";
  auto incident = limits_->Set(As(Role::kSecurity, "sec"), request);
  ASSERT_TRUE(incident.ok()) << incident.status().ToString();
  EXPECT_EQ(incident->actor_role, "security");
  Result<ExposureLimitRecord> lifted = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      lifted = limits_->Lift(alice, incident->id, "customer says it's fine"));
  EXPECT_EQ(lifted.status().problem(), "limit-lift-reserved");
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_TRUE(limits_->Get(Admin(), incident->id)->active());

  // An account manager's own limit: its manager lifts it, another does not.
  request.reason = "customer asked to pause";
  auto own = limits_->Set(alice, request);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(limits_->Lift(As(Role::kAccountManager, "carol"), own->id, "no")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(limits_->Lift(alice, own->id, "customer resumed").ok());
  EXPECT_TRUE(
      limits_->Lift(As(Role::kSecurity, "sec"), incident->id, "INC-42 closed")
          .ok());
}

TEST_F(ExposureServiceTest, LimitRequestsAreValidated) {
  LimitRequest request;
  request.scope = "tenant";
  request.values = {"acme"};
  EXPECT_EQ(limits_->Set(Admin(), request).status().code(),
            StatusCode::kInvalidArgument);  // no reason
  request.reason = "x";
  request.scope = "planet";
  EXPECT_EQ(limits_->Set(Admin(), request).status().code(),
            StatusCode::kInvalidArgument);
  request.scope = "segment";
  request.values = {"nope"};
  EXPECT_EQ(limits_->Set(Admin(), request).status().problem(),
            "unknown-segment");
  request.scope = "flags";
  request.values.clear();
  EXPECT_EQ(limits_->Set(Admin(), request).status().code(),
            StatusCode::kInvalidArgument);  // flags scope needs flags
}

TEST_F(ExposureServiceTest, FlagsScopedLimitOnlyInItsEnvironment) {
  ASSERT_TRUE(
      flags_->Create(Admin(), Environment::kProduction, BoolFlag("checkout"))
          .ok());
  ASSERT_TRUE(
      flags_->Create(Admin(), Environment::kStaging, BoolFlag("checkout"))
          .ok());
  LimitRequest request;
  request.scope = "flags";
  request.flag_keys = {"checkout"};
  request.environment = Environment::kProduction;
  request.reason = "kill switch";
  ASSERT_TRUE(limits_->Set(Admin(), request).ok());
  EXPECT_EQ(Evaluate(Environment::kProduction, "checkout", "x").reason,
            eval::Reason::kLimited);
  EXPECT_EQ(Evaluate(Environment::kStaging, "checkout", "x").reason,
            eval::Reason::kStatic);
  // A development flag set without the covered key still compiles.
  EXPECT_TRUE(
      flags_->Create(Admin(), Environment::kDevelopment, BoolFlag("other"))
          .ok());
}

}  // namespace
}  // namespace warden::exposure
