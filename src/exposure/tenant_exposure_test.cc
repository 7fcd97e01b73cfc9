// TenantExposure over a published snapshot: each reason's `because`, the
// tenant's stored attributes in rules, paging, and the refusals (audited).
#include "exposure/tenant_exposure.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "eval/snapshot_builder.h"
#include "service/service_test_env.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

eval::Flag BoolFlag(const std::string& key) {
  eval::Flag flag;
  flag.key = key;
  flag.variants = {{"on", true}, {"off", false}};
  flag.default_variant = "off";
  return flag;
}

eval::ReleaseGate Gate(const std::string& release,
                       std::vector<std::string> flags) {
  eval::ReleaseGate gate;
  gate.release_id = release;
  gate.stage = "canary";
  gate.flag_keys = std::move(flags);
  return gate;
}

class TenantExposureTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    eval::EnvironmentConfig config;
    eval::Tenant acme;
    acme.key = "acme";
    acme.attributes = {{"plan", "enterprise"}};
    config.tenants = {acme, eval::Tenant{.key = "globex"}};
    eval::Flag plan = BoolFlag("plan");
    plan.rules = {{{{"plan", eval::ConditionOp::kEquals, "free"}}, "off"},
                  {{{"plan", eval::ConditionOp::kEquals, "enterprise"}}, "on"}};
    eval::Flag logic = BoolFlag("logic");
    logic.json_logic = json::parse(R"({"if": [true, "on", "off"]})");
    eval::Flag dormant = BoolFlag("dormant");
    dormant.state = eval::FlagState::kDisabled;
    config.flags = {plan,
                    logic,
                    dormant,
                    BoolFlag("limited"),
                    BoolFlag("gated"),
                    BoolFlag("staged"),
                    BoolFlag("plain")};
    config.limits = {eval::ExposureLimit{.id = "lim-1",
                                         .scope = eval::LimitScope::kTenant,
                                         .scope_values = {"acme"},
                                         .flag_keys = {"limited"},
                                         .reason = "INC-3",
                                         .actor = "sec"}};
    eval::ReleaseGate approval = Gate("rel-1", {"gated"});
    approval.everyone = true;
    approval.cleared_flags = {"gated"};
    approval.pending_approvals = {{"acme", "appr-7"}};
    eval::ReleaseGate stage = Gate("rel-2", {"staged"});
    stage.tenants = {"globex"};
    config.gates = {approval, stage};
    auto snapshot = eval::SnapshotBuilder().Build(std::move(config));
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    auto published = std::make_shared<PublishedConfig>();
    published->environment = Environment::kStaging;
    published->snapshot = *snapshot;
    feed_.Publish(Environment::kStaging, published);
    exposure_ = std::make_unique<TenantExposure>(*auditor_, feed_);
  }

  json::object Because(const TenantExposureReport& report,
                       const std::string& key) {
    for (const FlagExposure& flag : report.flags) {
      if (flag.key == key) return flag.because;
    }
    ADD_FAILURE() << "no flag " << key;
    return {};
  }

  ConfigFeed feed_;
  std::unique_ptr<TenantExposure> exposure_;
};

TEST_F(TenantExposureTest, EachAnswerNamesWhatDecidedIt) {
  Result<TenantExposureReport> report = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      report = exposure_->Explain(As(Role::kAccountManager, "alice"), "acme",
                                  Environment::kStaging, {}));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(record.event.action, "tenant.exposure");
  EXPECT_EQ(record.event.target, "tenant/acme");
  EXPECT_EQ(report->flag_count, 7);
  EXPECT_FALSE(report->next_after);

  json::object because = Because(*report, "plan");
  EXPECT_EQ(because.at("kind").as_string(), "rule");
  EXPECT_EQ(because.at("rule").as_int64(), 1);  // the stored plan matched
  EXPECT_EQ(json::serialize(because.at("conditions")),
            R"([{"attribute":"plan","op":"equals","operand":"enterprise"}])");
  EXPECT_EQ(Because(*report, "logic").at("kind").as_string(), "targeting");
  EXPECT_EQ(Because(*report, "dormant").at("kind").as_string(), "disabled");
  because = Because(*report, "limited");
  EXPECT_EQ(because.at("kind").as_string(), "limit");
  EXPECT_EQ(because.at("limit").as_string(), "lim-1");
  EXPECT_EQ(because.at("scope").as_string(), "tenant");
  EXPECT_EQ(because.at("reason").as_string(), "INC-3");
  because = Because(*report, "gated");
  EXPECT_EQ(because.at("kind").as_string(), "gate");
  EXPECT_EQ(because.at("requirement").as_string(), "approval");
  EXPECT_EQ(because.at("approval").as_string(), "appr-7");
  because = Because(*report, "staged");
  EXPECT_EQ(because.at("kind").as_string(), "stage");
  EXPECT_EQ(because.at("release").as_string(), "rel-2");
  EXPECT_EQ(because.at("audience").at("tenants").as_int64(), 1);
  because = Because(*report, "plain");
  EXPECT_EQ(because.at("kind").as_string(), "static");
  EXPECT_EQ(because.at("default_variant").as_string(), "off");

  const json::object answer = TenantExposureToJson(*report);
  EXPECT_EQ(answer.at("environment").as_string(), "staging");
  EXPECT_TRUE(answer.at("next_after").is_null());
}

TEST_F(TenantExposureTest, PagesFollowTheFlagKeys) {
  std::vector<std::string> keys;
  ExposurePageRequest page{.after = "", .limit = 3};
  for (int i = 0; i < 5; ++i) {
    Result<TenantExposureReport> report =
        exposure_->Explain(Admin(), "globex", Environment::kStaging, page);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    for (const FlagExposure& flag : report->flags) keys.push_back(flag.key);
    if (!report->next_after) break;
    page.after = *report->next_after;
  }
  EXPECT_EQ(keys,
            (std::vector<std::string>{"dormant", "gated", "limited", "logic",
                                      "plain", "plan", "staged"}));
}

TEST_F(TenantExposureTest, RefusalsAreAudited) {
  Result<TenantExposureReport> report = Internal("unset");
  AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      report =
          exposure_->Explain(Admin(), "nobody", Environment::kStaging, {}));
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(record.event.outcome, "not_found");
  // Tenants are shared, but an environment without a publish has none.
  EXPECT_EQ(exposure_->Explain(Admin(), "acme", Environment::kProduction, {})
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(exposure_
                ->Explain(Admin(), "acme", Environment::kStaging,
                          {.after = "", .limit = kMaxExposurePage + 1})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  Caller sdk = As(Role::kSdk, "token:sdk");
  record = EXPECT_ONE_AUDIT_RECORD(
      report = exposure_->Explain(sdk, "acme", Environment::kStaging, {}));
  EXPECT_EQ(report.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(record.event.outcome, "deny");
}

}  // namespace
}  // namespace warden::exposure
