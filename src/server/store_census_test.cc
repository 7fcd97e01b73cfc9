#include "server/store_census.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "core/id.h"
#include "store/sqlite/sqlite_store.h"

namespace warden::server {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = FromMicros(1'760'000'000'000'000);

class StoreCensusTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "warden_census_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    SqliteStoreOptions options;
    options.path = dir_ + "/warden.db";
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    ASSERT_TRUE(store_
                    ->Write([](Transaction& tx) {
                      Team team;
                      team.name = "payments";
                      team.created_at = team.updated_at = kT0;
                      return tx.teams().Insert(team);
                    })
                    .ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void AddIdentity(const std::string& name, IdentityStatus status,
                   RiskTier tier) {
    Identity identity;
    identity.id = NewId(kT0);
    identity.name = name;
    identity.owner = "payments";
    identity.auth_method = "oidc";
    identity.status = status;
    identity.risk_tier = tier;
    identity.created_at = identity.updated_at = kT0;
    ASSERT_TRUE(store_
                    ->Write([&](Transaction& tx) {
                      return tx.identities().Insert(identity);
                    })
                    .ok());
  }

  void AddLimit(const std::string& scope, bool lifted) {
    ExposureLimitRecord limit;
    limit.id = NewId(kT0);
    limit.scope = scope;
    limit.scope_values = {"acme"};
    limit.reason = "incident";
    limit.actor = "alice";
    limit.created_at = kT0;
    if (lifted) limit.lifted_at = kT0 + 1s;
    ASSERT_TRUE(store_
                    ->Write([&](Transaction& tx) {
                      return tx.exposure_limits().Insert(limit);
                    })
                    .ok());
  }

  std::string Scrape(StoreCensus& census) {
    std::string text;
    MetricsWriter writer(&text);
    census.Collect(writer);
    return text;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  ManualClock clock_{kT0};
};

TEST_F(StoreCensusTest, CountsIdentitiesAndActiveLimits) {
  AddIdentity("svc-a", IdentityStatus::kActive, RiskTier::kLow);
  AddIdentity("svc-b", IdentityStatus::kActive, RiskTier::kLow);
  AddIdentity("svc-c", IdentityStatus::kRevoked, RiskTier::kCritical);
  AddLimit("tenant", /*lifted=*/false);
  AddLimit("tenant", /*lifted=*/true);
  AddLimit("flags", /*lifted=*/false);
  StoreCensus census(*store_, clock_, 15s);
  const std::string text = Scrape(census);
  EXPECT_NE(text.find("warden_identities_by_status{status=\"active\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("warden_identities_by_status{status=\"revoked\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("warden_identities_by_status{status=\"draft\"} 0\n"),
            std::string::npos);  // every status has a series
  EXPECT_NE(text.find("warden_identities_by_risk_tier{risk_tier=\"low\"} 2\n"),
            std::string::npos);
  EXPECT_NE(
      text.find("warden_identities_by_risk_tier{risk_tier=\"critical\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("warden_exposure_limits_active{scope=\"tenant\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("warden_exposure_limits_active{scope=\"flags\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("warden_exposure_limits_active{scope=\"segment\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("warden_census_age_seconds 0\n"), std::string::npos)
      << text;
}

// One store read per max_age, however many scrapes: the counts are reused
// (and their age grows) until they are older than max_age.
TEST_F(StoreCensusTest, ReusesCountsUntilTheyAreOlderThanMaxAge) {
  AddIdentity("svc-a", IdentityStatus::kActive, RiskTier::kLow);
  StoreCensus census(*store_, clock_, 15s);
  Result<std::shared_ptr<const CensusCounts>> first = census.Get();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  AddIdentity("svc-b", IdentityStatus::kActive, RiskTier::kLow);
  clock_.Advance(14s);
  Result<std::shared_ptr<const CensusCounts>> cached = census.Get();
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->get(), first->get());  // no read
  EXPECT_NE(Scrape(census).find("warden_census_age_seconds 14\n"),
            std::string::npos);
  clock_.Advance(1s);
  Result<std::shared_ptr<const CensusCounts>> fresh = census.Get();
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(fresh->get(), first->get());
  EXPECT_EQ((*fresh)->by_status.size(), 6u);
  EXPECT_EQ((*fresh)->by_status.at("active"), 2);
  EXPECT_EQ((*fresh)->by_risk_tier.at("low"), 2);
}

// A store that cannot answer: the last counts stay (their age shows it);
// before any, the census writes nothing rather than zeros.
TEST_F(StoreCensusTest, KeepsTheLastCountsWhenTheStoreFails) {
  AddIdentity("svc-a", IdentityStatus::kActive, RiskTier::kLow);
  StoreCensus census(*store_, clock_, 15s);
  ASSERT_TRUE(census.Get().ok());
  store_->Close();
  clock_.Advance(20s);
  Result<std::shared_ptr<const CensusCounts>> stale = census.Get();
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ((*stale)->by_status.at("active"), 1);
  EXPECT_NE(Scrape(census).find("warden_census_age_seconds 20\n"),
            std::string::npos);

  StoreCensus never(*store_, clock_, 15s);
  EXPECT_FALSE(never.Get().ok());
  EXPECT_EQ(Scrape(never), "");
}

}  // namespace
}  // namespace warden::server
