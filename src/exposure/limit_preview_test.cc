// LimitService::Preview against the real SQLite store: it answers the report
// the apply that follows on the same state answers (one plan for both),
// changes nothing but its own audit record, and is refused and validated
// exactly as Set() is.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/serialize.hpp>

#include "exposure/config_feed.h"
#include "exposure/exposure_publisher.h"
#include "exposure/flag_service.h"
#include "exposure/limit_service.h"
#include "exposure/tenant_service.h"
#include "service/service_test_env.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

// Counts calls; revokes nothing (the token side is the server's).
class CountingEnforcer final : public LimitEnforcer {
 public:
  Result<TokensRevoked> RevokeTied(Transaction&, const Caller&,
                                   const ExposureLimitRecord&,
                                   const LimitTies& ties) override {
    ++revocations;
    return WouldRevoke(ties);
  }
  void Released(std::string_view) override {}

  std::atomic<int> revocations{0};
};

class LimitPreviewTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    publisher_ = std::make_unique<ExposurePublisher>(*store_, feed_);
    flags_ = std::make_unique<FlagService>(*store_, *auditor_, *publisher_);
    tenants_ = std::make_unique<TenantService>(*store_, *auditor_, *publisher_);
    limits_ = std::make_unique<LimitService>(*store_, *auditor_, *publisher_);
    limits_->set_enforcer(&enforcer_);
    SeedTeam("payments");
    for (const char* name : {"alice", "carol"}) {
      User user;
      user.name = name;
      user.role = Role::kAccountManager;
      ASSERT_TRUE(
          store_
              ->Write([&](Transaction& tx) { return tx.users().Insert(user); })
              .ok());
    }
    AddTenant("acme", "alice");
    AddTenant("initech", "alice");
    AddTenant("globex", "carol");
    AddFlag(Environment::kProduction, R"({"key": "checkout",
        "variants": {"on": true, "off": false}, "default_variant": "on",
        "owner_team": "payments"})");
    AddFlag(Environment::kStaging, R"({"key": "checkout",
        "variants": {"on": true, "off": false}, "default_variant": "on",
        "owner_team": "payments"})");
    // A string flag without an off variant (a flagd file may hold one)
    // keeps serving its default under a limit.
    auto imported = flags_->Import(Admin(), Environment::kProduction,
                                   R"({"flags": {"banner": {
        "state": "ENABLED", "variants": {"red": "red", "blue": "blue"},
        "defaultVariant": "red"}}})");
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  }
  void TearDown() override {
    limits_.reset();
    tenants_.reset();
    flags_.reset();
    publisher_.reset();
    ServiceTestEnv::TearDown();
  }

  void AddTenant(const std::string& key, const std::string& manager) {
    TenantRecord tenant;
    tenant.key = key;
    tenant.name = key;
    tenant.account_manager = manager;
    ASSERT_TRUE(tenants_->Create(Admin(), tenant).ok());
  }

  void AddFlag(Environment env, std::string_view text) {
    Result<wire::FlagSpec> spec =
        wire::FlagSpecFromJson(json::parse(text).as_object());
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    auto created = flags_->Create(Admin(), env, *spec);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  // The report without the timings the apply measures.
  static json::object Untimed(const LimitReport& report) {
    json::object out = LimitReportToJson(report);
    out.erase("timings_us");
    return out;
  }

  size_t LimitCount() {
    Result<std::vector<ExposureLimitRecord>> all =
        limits_->List(Admin(), false);
    EXPECT_TRUE(all.ok());
    return all.ok() ? all->size() : 0;
  }

  ConfigFeed feed_;
  CountingEnforcer enforcer_;
  std::unique_ptr<ExposurePublisher> publisher_;
  std::unique_ptr<FlagService> flags_;
  std::unique_ptr<TenantService> tenants_;
  std::unique_ptr<LimitService> limits_;
};

TEST_F(LimitPreviewTest, PreviewIsTheReportOfTheApplyThatFollows) {
  LimitRequest request;
  request.scope = "account_owner";
  request.values = {"alice"};
  request.reason = "INC-7";
  const int64_t revision = feed_.Current(Environment::kProduction)->revision;
  Result<LimitPlan> preview = Result<LimitPlan>(Internal("unset"));
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      preview = limits_->Preview(As(Role::kSecurity, "sec"), request));
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  EXPECT_EQ(record.event.action, "limit.preview");
  EXPECT_EQ(record.event.outcome, "ok");
  EXPECT_EQ(Details(record).at("flags_turned_off").as_int64(), 2);
  // Nothing changed: no limit, no revocation, no republish.
  EXPECT_EQ(LimitCount(), 0u);
  EXPECT_EQ(enforcer_.revocations.load(), 0);
  EXPECT_EQ(feed_.Current(Environment::kProduction)->revision, revision);

  EXPECT_EQ(preview->ties.tenants,
            (std::vector<std::string>{"acme", "initech"}));
  ASSERT_EQ(preview->turned_off.size(), 2u);
  EXPECT_EQ(preview->turned_off[0].flag, "checkout");
  EXPECT_EQ(preview->report.flags_turned_off, 2);  // staging + production
  ASSERT_EQ(preview->report.not_turned_off.size(), 1u);
  EXPECT_EQ(preview->report.not_turned_off[0].flag, "banner");
  EXPECT_EQ(preview->report.tokens_revoked.tenants, 2);

  LimitReport applied;
  ASSERT_TRUE(limits_->Set(As(Role::kSecurity, "sec"), request, &applied).ok());
  EXPECT_EQ(json::serialize(Untimed(preview->report)),
            json::serialize(Untimed(applied)));
  EXPECT_EQ(enforcer_.revocations.load(), 1);

  const json::object answer = LimitPlanToJson(*preview);
  EXPECT_EQ(answer.at("tenants").as_array().size(), 2u);
  EXPECT_FALSE(answer.at("everyone").as_bool());
  EXPECT_EQ(answer.at("flags_turned_off").as_array().size(), 2u);
  EXPECT_EQ(answer.at("report").at("timings_us").at("total").as_int64(), 0);
}

TEST_F(LimitPreviewTest, FlagsScopeNamesEveryoneAndItsEnvironment) {
  LimitRequest request;
  request.scope = "flags";
  request.flag_keys = {"checkout"};
  request.environment = Environment::kStaging;
  request.reason = "bad rollout";
  Result<LimitPlan> preview = limits_->Preview(Admin(), request);
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  EXPECT_TRUE(LimitPlanToJson(*preview).at("everyone").as_bool());
  ASSERT_EQ(preview->turned_off.size(), 1u);
  EXPECT_EQ(preview->turned_off[0].environment, Environment::kStaging);
  EXPECT_TRUE(preview->report.not_turned_off.empty());
}

TEST_F(LimitPreviewTest, RefusedAndValidatedAsSetIs) {
  LimitRequest request;
  request.scope = "tenant";
  request.values = {"acme", "globex"};
  request.reason = "pause";
  const Caller alice = As(Role::kAccountManager, "alice");
  Result<LimitPlan> denied = Result<LimitPlan>(Internal("unset"));
  const AuditRecord record =
      EXPECT_ONE_AUDIT_RECORD(denied = limits_->Preview(alice, request));
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(record.event.action, "limit.preview");
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_EQ(limits_->Set(alice, request).status().code(),
            StatusCode::kPermissionDenied);
  request.values = {"acme"};
  EXPECT_TRUE(limits_->Preview(alice, request).ok());
  EXPECT_EQ(
      limits_->Preview(As(Role::kAuditor, "aud"), request).status().code(),
      StatusCode::kPermissionDenied);

  request.reason.clear();
  EXPECT_EQ(limits_->Preview(Admin(), request).status().code(),
            StatusCode::kInvalidArgument);
  request.reason = "x";
  request.scope = "segment";
  request.values = {"nope"};
  EXPECT_EQ(limits_->Preview(Admin(), request).status().problem(),
            "unknown-segment");
  request.scope = "release";
  request.values = {"rel-missing"};
  EXPECT_EQ(limits_->Preview(Admin(), request).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(LimitCount(),
            0u);  // previews set nothing; alice's Set() was refused
}

}  // namespace
}  // namespace warden::exposure
