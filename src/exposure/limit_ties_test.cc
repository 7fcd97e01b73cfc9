// What an exposure limit is tied to (ResolveLimitTies) per scope, and the
// LimitService's use of a LimitEnforcer: revocation inside the limit's
// write unit, release on lift and on a failed unit, the report and the
// time to limit kept on the record.
#include "exposure/limit_ties.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "exposure/config_feed.h"
#include "exposure/exposure_publisher.h"
#include "exposure/limit_service.h"
#include "service/service_test_env.h"

namespace warden::exposure {
namespace {

using Strings = std::vector<std::string>;

class RecordingEnforcer final : public LimitEnforcer {
 public:
  Result<TokensRevoked> RevokeTied(Transaction& tx, const Caller&,
                                   const ExposureLimitRecord& limit,
                                   const LimitTies& ties) override {
    // Runs inside the unit: the limit row is already there.
    EXPECT_TRUE(tx.exposure_limits().Get(limit.id).ok());
    if (!refusal.ok()) return refusal;
    revoked = ties;
    held.push_back(limit.id);
    return TokensRevoked{static_cast<int64_t>(ties.identity_ids.size()),
                         static_cast<int64_t>(ties.tenants.size())};
  }
  void Released(std::string_view limit_id) override {
    released.emplace_back(limit_id);
  }

  Status refusal;
  LimitTies revoked;
  Strings held;
  Strings released;
};

class LimitTiesTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    publisher_ = std::make_unique<ExposurePublisher>(*store_, feed_);
    limits_ = std::make_unique<LimitService>(*store_, *auditor_, *publisher_);
    limits_->set_enforcer(&enforcer_);
    limits_->set_time_to_limit_observer(
        [this](std::string_view scope, std::chrono::microseconds elapsed) {
          observed_.emplace_back(scope);
          EXPECT_GE(elapsed.count(), 0);
        });
    Seed([](Transaction& tx) { return tx.teams().Insert(Team{"payments"}); });
    AddTenant("acme", "alice", {"stripe"});
    AddTenant("globex", "bob", {});
    AddTenant("initech", "alice", {"segment-io"});
    AddIdentity("id-stripe", "stripe", "billing", Environment::kProduction);
    AddIdentity("id-app", "", "stripe", Environment::kProduction);
    AddIdentity("id-dev", "stripe", "", Environment::kDevelopment);
    AddIdentity("id-other", "", "search", Environment::kProduction);
    Seed([](Transaction& tx) {
      return tx.oauth().SetGatingFlags("id-other", {"beta", "checkout"});
    });
  }
  void TearDown() override {
    limits_.reset();
    publisher_.reset();
    ServiceTestEnv::TearDown();
  }

  void Seed(const UnitOfWork& work) { ASSERT_TRUE(store_->Write(work).ok()); }

  void AddTenant(const std::string& key, const std::string& manager,
                 Strings integrations) {
    TenantRecord tenant;
    tenant.key = key;
    tenant.name = key;
    tenant.account_manager = manager;
    tenant.integrations = std::move(integrations);
    Seed([&](Transaction& tx) { return tx.tenants().Insert(tenant); });
  }

  void AddIdentity(const std::string& id, const std::string& vendor,
                   const std::string& application, Environment env) {
    Identity identity;
    identity.id = id;
    identity.name = id;
    identity.owner = "payments";
    identity.vendor = vendor;
    identity.application = application;
    identity.environment = env;
    identity.expires_at = clock_.Now() + std::chrono::hours(24);
    Seed([&](Transaction& tx) { return tx.identities().Insert(identity); });
  }

  LimitTies Resolve(const std::string& scope, Strings values,
                    Strings flags = {},
                    std::optional<Environment> env = std::nullopt) {
    ExposureLimitRecord limit;
    limit.id = "lim";
    limit.scope = scope;
    limit.scope_values = std::move(values);
    limit.flag_keys = std::move(flags);
    limit.environment = env;
    LimitTies ties;
    Status read = store_->Read([&](Transaction& tx) -> Status {
      WARDEN_ASSIGN_OR_RETURN(ties, ResolveLimitTies(tx, limit));
      return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.ToString();
    return ties;
  }

  LimitRequest Request(const std::string& scope, Strings values) {
    LimitRequest request;
    request.scope = scope;
    request.values = std::move(values);
    request.reason = "incident 42";
    return request;
  }

  ConfigFeed feed_;
  std::unique_ptr<ExposurePublisher> publisher_;
  std::unique_ptr<LimitService> limits_;
  RecordingEnforcer enforcer_;
  Strings observed_;
};

TEST_F(LimitTiesTest, TenantScopeIsTheNamedTenantsRegisteredOrNot) {
  LimitTies ties = Resolve("tenant", {"globex", "acme", "unregistered"});
  EXPECT_EQ(ties.tenants, (Strings{"acme", "globex", "unregistered"}));
  EXPECT_TRUE(ties.identity_ids.empty());
}

TEST_F(LimitTiesTest, AccountOwnerScopeIsEveryTenantItManages) {
  EXPECT_EQ(Resolve("account_owner", {"alice"}).tenants,
            (Strings{"acme", "initech"}));
  EXPECT_TRUE(Resolve("account_owner", {"nobody"}).tenants.empty());
}

TEST_F(LimitTiesTest, SegmentScopeIsItsExplicitMembers) {
  Seed([](Transaction& tx) -> Status {
    SegmentRecord segment;
    segment.key = "canary";
    WARDEN_RETURN_IF_ERROR(tx.segments().Insert(segment));
    return tx.segments().AddTenants("canary", {"globex", "acme"}).status();
  });
  EXPECT_EQ(Resolve("segment", {"canary"}).tenants,
            (Strings{"acme", "globex"}));
}

TEST_F(LimitTiesTest, IntegrationScopeIsVendorsApplicationsAndTenantsUsingIt) {
  LimitTies ties = Resolve("integration", {"stripe"});
  EXPECT_EQ(ties.identity_ids, (Strings{"id-app", "id-dev", "id-stripe"}));
  EXPECT_EQ(ties.tenants, Strings{"acme"});
  // An environment's limit ties only that environment's identities.
  EXPECT_EQ(Resolve("integration", {"stripe"}, {}, Environment::kProduction)
                .identity_ids,
            (Strings{"id-app", "id-stripe"}));
}

TEST_F(LimitTiesTest, FlagsScopeIsIdentitiesGatedByACoveredFlag) {
  EXPECT_EQ(Resolve("flags", {}, {"checkout"}).identity_ids,
            Strings{"id-other"});
  EXPECT_TRUE(Resolve("flags", {}, {"search"}).identity_ids.empty());
  EXPECT_TRUE(Resolve("flags", {}, {"checkout"}).tenants.empty());
}

TEST_F(LimitTiesTest, ScopeWithoutResolverIsRefused) {
  ExposureLimitRecord limit;
  limit.scope = "canary-cohort";
  Status read = store_->Read([&](Transaction& tx) -> Status {
    return ResolveLimitTies(tx, limit).status();
  });
  EXPECT_EQ(read.code(), StatusCode::kInvalidArgument);
}

TEST_F(LimitTiesTest, ReleaseScopeIsTheReleasesIdentities) {
  ReleaseRecord release;
  release.id = "rel-1";
  release.service = "checkout";
  release.service_version = "1.0.0";
  release.owner = "payments";
  release.flags = {"checkout"};
  release.identities = {"id-b", "id-a"};
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return tx.releases().Insert(release);
                  })
                  .ok());
  EXPECT_EQ(Resolve("release", {"rel-1"}, {}).identity_ids,
            (Strings{"id-a", "id-b"}));
  EXPECT_TRUE(Resolve("release", {"rel-1"}, {}).tenants.empty());
}

TEST_F(LimitTiesTest, SetRevokesTiesInItsUnitAndRecordsTheReport) {
  LimitReport report;
  Result<ExposureLimitRecord> set =
      limits_->Set(Admin(), Request("account_owner", {"alice"}), &report);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(enforcer_.revoked.tenants, (Strings{"acme", "initech"}));
  EXPECT_EQ(report.tokens_revoked.tenants, 2);
  EXPECT_EQ(report.tokens_revoked.identities, 0);
  EXPECT_GE(report.timings.total, report.timings.publish);
  EXPECT_EQ(observed_, Strings{"account_owner"});
  ASSERT_TRUE(set->time_to_limit_us.has_value());
  EXPECT_EQ(*set->time_to_limit_us, report.timings.total.count());
  EXPECT_EQ(LastAudit().event.action, "limit.report");

  Result<ExposureLimitRecord> stored = limits_->Get(Admin(), set->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->time_to_limit_us, set->time_to_limit_us);
  boost::json::object json =
      boost::json::parse(stored->report_json).as_object();
  EXPECT_EQ(json.at("tokens_revoked").at("tenants").as_int64(), 2);
  EXPECT_TRUE(json.at("rotations_queued").as_array().empty());
  EXPECT_EQ(json.at("timings_us").at("total").as_int64(),
            *set->time_to_limit_us);

  ASSERT_TRUE(limits_->Lift(Admin(), set->id, "fixed").ok());
  EXPECT_EQ(enforcer_.released, Strings{set->id});
}

TEST_F(LimitTiesTest, EnforcerFailureSetsNoLimitAndReleases) {
  enforcer_.refusal = Unavailable("revocation row not written");
  Result<ExposureLimitRecord> set =
      limits_->Set(Admin(), Request("tenant", {"acme"}));
  EXPECT_EQ(set.status().code(), StatusCode::kUnavailable);
  Result<std::vector<ExposureLimitRecord>> active =
      limits_->List(Admin(), /*active_only=*/true);
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(active->empty());
  EXPECT_EQ(enforcer_.released.size(), 1u);
  EXPECT_TRUE(observed_.empty());
}

}  // namespace
}  // namespace warden::exposure
