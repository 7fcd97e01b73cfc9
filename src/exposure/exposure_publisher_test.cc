// ExposurePublisher's incremental publication against the real SQLite
// store: after every change of an interleaved sequence (flags, tenants,
// segments, limits, in several environments), the incrementally published
// configuration equals a full reload by a fresh publisher, and replaying
// each revision's patch on the previous wire JSON (as the SDK does) gives
// the published wire JSON.
#include "exposure/exposure_publisher.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "exposure/config_feed.h"
#include "exposure/flag_service.h"
#include "exposure/limit_service.h"
#include "exposure/segment_service.h"
#include "exposure/tenant_service.h"
#include "service/service_test_env.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

json::object ParseJsonObject(const std::string& text) {
  return json::parse(text).as_object();
}

// Serialised, so a mismatch prints readably; both sides keep the
// publisher's member order.
std::string WithoutRevision(json::object wire) {
  wire.erase("revision");
  return json::serialize(wire);
}

class ExposurePublisherTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    publisher_ = std::make_unique<ExposurePublisher>(*store_, feed_);
    flags_ = std::make_unique<FlagService>(*store_, *auditor_, *publisher_);
    tenants_ = std::make_unique<TenantService>(*store_, *auditor_, *publisher_);
    segments_ =
        std::make_unique<SegmentService>(*store_, *auditor_, *publisher_);
    limits_ = std::make_unique<LimitService>(*store_, *auditor_, *publisher_);
    for (Environment env : kAllEnvironments) {
      subscriptions_.push_back(feed_.Subscribe(
          env, [this](std::shared_ptr<const PublishedConfig> config) {
            received_.push_back(std::move(config));
          }));
    }
    User user;
    user.name = "alice";
    user.role = Role::kAccountManager;
    ASSERT_TRUE(
        store_->Write([&](Transaction& tx) { return tx.users().Insert(user); })
            .ok());
    ASSERT_TRUE(publisher_->PublishAll({}).ok());
  }
  void TearDown() override {
    for (auto id : subscriptions_) feed_.Unsubscribe(id);
    limits_.reset();
    segments_.reset();
    tenants_.reset();
    flags_.reset();
    publisher_.reset();
    ServiceTestEnv::TearDown();
  }

  static wire::FlagSpec BoolFlag(const std::string& key) {
    json::object spec{{"key", key},
                      {"variants", {{"on", true}, {"off", false}}},
                      {"default_variant", "on"},
                      {"off_variant", "off"},
                      {"owner_team", "payments"}};
    Result<wire::FlagSpec> parsed = wire::FlagSpecFromJson(spec);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    return parsed.ok() ? *parsed : wire::FlagSpec{};
  }

  // Every environment: the published wire equals a full reload's, and the
  // patches received since the last check lead from the previous wire to it.
  void ExpectMatchesFullReload(const std::string& step) {
    SCOPED_TRACE(step);
    for (const auto& config : received_) ReplayPatch(*config);
    received_.clear();
    ConfigFeed reference_feed;
    ExposurePublisher reference(*store_, reference_feed);
    for (Environment env : kAllEnvironments) {
      SCOPED_TRACE(Name(env));
      ASSERT_TRUE(reference.Publish(env, {}).ok());
      const json::object published =
          ParseJsonObject(feed_.Current(env)->wire_json.Join());
      EXPECT_EQ(WithoutRevision(published),
                WithoutRevision(ParseJsonObject(
                    reference_feed.Current(env)->wire_json.Join())));
      EXPECT_EQ(json::serialize(client_wire_[env]), json::serialize(published));
      EXPECT_EQ(feed_.Current(env)->snapshot->version(),
                static_cast<uint64_t>(feed_.Current(env)->revision));
    }
  }

  // What an SDK holding the previous revision does with this one.
  void ReplayPatch(const PublishedConfig& config) {
    json::object& wire = client_wire_[config.environment];
    if (config.patch_json.empty()) {
      wire = ParseJsonObject(config.wire_json.Join());
      return;
    }
    ASSERT_EQ(wire.at("revision").as_int64(), config.revision - 1);
    for (const auto& [key, value] : ParseJsonObject(config.patch_json)) {
      wire[key] = value;
    }
    wire["revision"] = config.revision;
  }

  void AddTenant(const std::string& key) {
    TenantRecord tenant;
    tenant.key = key;
    tenant.name = key;
    tenant.account_manager = "alice";
    ASSERT_TRUE(tenants_->Create(Admin(), tenant).ok());
  }

  std::string SetLimit(std::optional<Environment> env,
                       std::vector<std::string> flags = {}) {
    LimitRequest request;
    request.scope = "tenant";
    request.values = {"acme"};
    request.flag_keys = std::move(flags);
    request.environment = env;
    request.reason = "incident";
    auto limit = limits_->Set(Admin(), request);
    EXPECT_TRUE(limit.ok()) << limit.status().ToString();
    return limit.ok() ? limit->id : "";
  }

  ConfigFeed feed_;
  std::unique_ptr<ExposurePublisher> publisher_;
  std::unique_ptr<FlagService> flags_;
  std::unique_ptr<TenantService> tenants_;
  std::unique_ptr<SegmentService> segments_;
  std::unique_ptr<LimitService> limits_;
  std::vector<ConfigFeed::SubscriptionId> subscriptions_;
  std::vector<std::shared_ptr<const PublishedConfig>> received_;
  std::map<Environment, json::object> client_wire_;
};

TEST_F(ExposurePublisherTest, InterleavedChangesMatchAFullReload) {
  const Environment dev = Environment::kDevelopment;
  const Environment prod = Environment::kProduction;
  ExpectMatchesFullReload("start");
  ASSERT_TRUE(flags_->Create(Admin(), prod, BoolFlag("checkout")).ok());
  ExpectMatchesFullReload("flag in production");
  AddTenant("acme");
  ExpectMatchesFullReload("tenant");
  const std::string everywhere = SetLimit(std::nullopt);
  ExpectMatchesFullReload("limit everywhere");
  ASSERT_TRUE(segments_->Create(Admin(), "canary", "", {}, {"acme"}).ok());
  ExpectMatchesFullReload("segment");
  const std::string scoped = SetLimit(dev, {"checkout"});
  ExpectMatchesFullReload("limit naming a flag dev does not have");
  ASSERT_TRUE(flags_->Create(Admin(), dev, BoolFlag("checkout")).ok());
  ExpectMatchesFullReload("the flag appears in dev: the limit applies");
  TenantPatch patch;
  patch.attributes = json::object{{"plan", "enterprise"}};
  ASSERT_TRUE(tenants_->Update(Admin(), "acme", patch).ok());
  ExpectMatchesFullReload("tenant attributes");
  ASSERT_TRUE(segments_->AddTenants(Admin(), "canary", {"globex"}).ok());
  ExpectMatchesFullReload("segment members");
  ASSERT_TRUE(limits_->Lift(Admin(), everywhere, "over").ok());
  ExpectMatchesFullReload("lift");
  ASSERT_TRUE(flags_
                  ->Import(Admin(), Environment::kStaging,
                           R"({"flags": {"banner": {"state": "ENABLED",
                               "variants": {"a": "a", "b": "b"},
                               "defaultVariant": "a"}},
                               "metadata": {"team": "web"}})")
                  .ok());
  ExpectMatchesFullReload("import with metadata");
  ASSERT_TRUE(flags_->Archive(Admin(), dev, "checkout").ok());
  ExpectMatchesFullReload("archive: the dev limit covers nothing");
  ASSERT_TRUE(segments_->RemoveTenants(Admin(), "canary", {"acme"}).ok());
  ASSERT_TRUE(limits_->Lift(Admin(), scoped, "over").ok());
  AddTenant("globex");
  ExpectMatchesFullReload("several changes between checks");
}

TEST_F(ExposurePublisherTest, ALimitPatchCarriesOnlyTheLimits) {
  const Environment prod = Environment::kProduction;
  ASSERT_TRUE(flags_->Create(Admin(), prod, BoolFlag("checkout")).ok());
  AddTenant("acme");
  SetLimit(prod);
  const auto published = feed_.Current(prod);
  const json::object patch = ParseJsonObject(published->patch_json);
  ASSERT_EQ(patch.size(), 1u) << published->patch_json;
  EXPECT_EQ(patch.at("limits").as_array().size(), 1u);
  EXPECT_LT(published->patch_json.size(), published->wire_json.size());

  AddTenant("globex");
  const json::object tenants = ParseJsonObject(feed_.Current(prod)->patch_json);
  ASSERT_EQ(tenants.size(), 1u) << feed_.Current(prod)->patch_json;
  EXPECT_EQ(tenants.at("tenants").as_array().size(), 2u);
}

// The wire piece of section `name` (kWireSections) in `config`'s wire JSON;
// the first piece is the environment and revision.
const std::string* SectionPiece(const PublishedConfig& config,
                                std::string_view name) {
  for (size_t i = 0; i < ExposurePublisher::kWireSections.size(); ++i) {
    if (name == ExposurePublisher::kWireSections[i]) {
      return config.wire_json.pieces().at(i + 1).get();
    }
  }
  return nullptr;
}

// A kill switch neither copies nor recompiles the tenants and segments:
// every environment's new snapshot holds the very tables and wire text of
// the previous one, and only the limits section is new.
TEST_F(ExposurePublisherTest, ALimitChangeSharesTablesAndText) {
  const Environment prod = Environment::kProduction;
  ASSERT_TRUE(flags_->Create(Admin(), prod, BoolFlag("checkout")).ok());
  AddTenant("acme");
  ASSERT_TRUE(segments_->Create(Admin(), "canary", "", {}, {"acme"}).ok());
  std::map<Environment, std::shared_ptr<const PublishedConfig>> before;
  for (Environment env : kAllEnvironments) before[env] = feed_.Current(env);
  SetLimit(std::nullopt);
  for (Environment env : kAllEnvironments) {
    SCOPED_TRACE(Name(env));
    const auto after = feed_.Current(env);
    const eval::SnapshotSections& was = before[env]->snapshot->sections();
    const eval::SnapshotSections& is = after->snapshot->sections();
    EXPECT_EQ(is.tenants.get(), was.tenants.get());
    EXPECT_EQ(is.segments.get(), was.segments.get());
    EXPECT_EQ(is.flags.get(), was.flags.get());
    EXPECT_NE(is.limits.get(), was.limits.get());
    EXPECT_EQ(SectionPiece(*after, "tenants"),
              SectionPiece(*before[env], "tenants"));
    EXPECT_EQ(SectionPiece(*after, "segments"),
              SectionPiece(*before[env], "segments"));
    EXPECT_NE(SectionPiece(*after, "limits"),
              SectionPiece(*before[env], "limits"));
    EXPECT_EQ(after->snapshot->FindTenant("acme"),
              before[env]->snapshot->FindTenant("acme"));
  }
  ExpectMatchesFullReload("limit everywhere");
}

// Tenants and segments are global: the environments hold one table of
// each, and one copy of their wire text.
TEST_F(ExposurePublisherTest, EnvironmentsShareOneTenantAndSegmentTable) {
  AddTenant("acme");
  ASSERT_TRUE(segments_->Create(Admin(), "canary", "", {}, {"acme"}).ok());
  const auto dev = feed_.Current(Environment::kDevelopment);
  for (Environment env : {Environment::kStaging, Environment::kProduction}) {
    SCOPED_TRACE(Name(env));
    const auto other = feed_.Current(env);
    EXPECT_EQ(other->snapshot->sections().tenants.get(),
              dev->snapshot->sections().tenants.get());
    EXPECT_EQ(other->snapshot->sections().segments.get(),
              dev->snapshot->sections().segments.get());
    EXPECT_EQ(SectionPiece(*other, "tenants"), SectionPiece(*dev, "tenants"));
  }
  // A fresh publisher that loads everything shares the same way.
  ConfigFeed feed;
  ExposurePublisher fresh(*store_, feed);
  ASSERT_TRUE(fresh.PublishAll({}).ok());
  EXPECT_EQ(
      feed.Current(Environment::kStaging)->snapshot->sections().tenants,
      feed.Current(Environment::kProduction)->snapshot->sections().tenants);
}

// A tenant change rebuilds the tenant table; it reloads the segments too
// (their members may have changed with it), but keeps the segment table
// when they did not.
TEST_F(ExposurePublisherTest, ATenantChangeRebuildsWhatItMust) {
  const Environment prod = Environment::kProduction;
  ASSERT_TRUE(flags_->Create(Admin(), prod, BoolFlag("checkout")).ok());
  AddTenant("acme");
  ASSERT_TRUE(segments_->Create(Admin(), "canary", "", {}, {"acme"}).ok());
  const auto before = feed_.Current(prod);
  AddTenant("globex");
  const auto after = feed_.Current(prod);
  EXPECT_NE(after->snapshot->sections().tenants.get(),
            before->snapshot->sections().tenants.get());
  EXPECT_EQ(after->snapshot->sections().segments.get(),
            before->snapshot->sections().segments.get());
  EXPECT_EQ(after->snapshot->sections().flags.get(),
            before->snapshot->sections().flags.get());
  EXPECT_NE(after->snapshot->FindTenant("globex"), nullptr);
  EXPECT_EQ(before->snapshot->FindTenant("globex"), nullptr);
  ASSERT_TRUE(segments_->AddTenants(Admin(), "canary", {"globex"}).ok());
  const auto member = feed_.Current(prod);
  EXPECT_NE(member->snapshot->sections().segments.get(),
            after->snapshot->sections().segments.get());
  EXPECT_EQ(member->snapshot->sections().tenants.get(),
            after->snapshot->sections().tenants.get());
  ExpectMatchesFullReload("tenant and segment changes");
}

// A change of every environment reaches the one with subscribers first.
TEST_F(ExposurePublisherTest, TheBusiestEnvironmentIsPublishedFirst) {
  std::vector<ConfigFeed::SubscriptionId> extra;
  for (int i = 0; i < 2; ++i) {
    extra.push_back(
        feed_.Subscribe(Environment::kProduction,
                        [](std::shared_ptr<const PublishedConfig>) {}));
  }
  received_.clear();
  SetLimit(std::nullopt);
  ASSERT_EQ(received_.size(), 3u);
  EXPECT_EQ(received_[0]->environment, Environment::kProduction);
  EXPECT_EQ(received_[1]->environment, Environment::kDevelopment);
  EXPECT_EQ(received_[2]->environment, Environment::kStaging);
  for (auto id : extra) feed_.Unsubscribe(id);
}

// The first publish has no base to patch from; a failed publish forces the
// next one to reload everything.
TEST_F(ExposurePublisherTest, FirstPublishShipsNoPatch) {
  ConfigFeed feed;
  ExposurePublisher publisher(*store_, feed);
  ASSERT_TRUE(
      publisher.Publish(Environment::kStaging, {}, ExposureSection::kLimits)
          .ok());
  EXPECT_TRUE(feed.Current(Environment::kStaging)->patch_json.empty());
  EXPECT_FALSE(feed.ChangesSince(Environment::kStaging, 0).has_value());
  ASSERT_TRUE(
      publisher.Publish(Environment::kStaging, {}, ExposureSection::kLimits)
          .ok());
  EXPECT_EQ(feed.Current(Environment::kStaging)->patch_json, "{}");
  auto changes = feed.ChangesSince(Environment::kStaging, 1);
  ASSERT_TRUE(changes.has_value());
  EXPECT_EQ(changes->size(), 1u);
}

}  // namespace
}  // namespace warden::exposure
