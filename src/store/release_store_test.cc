// The Store contract for release governance (releases and their reverse
// views, signals, approvals and the inbox, tenants' consents), run against
// every implementation: PostgreSQL joins by adding a factory to
// StoreImplementations().
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_test_fixture.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = kStoreTestT0;

ReleaseRecord MakeRelease(const std::string& id, const std::string& service,
                          std::vector<std::string> flags) {
  ReleaseRecord release;
  release.id = id;
  release.service = service;
  release.service_version = "1.0." + id;
  release.owner = "payments";
  release.risk_tier = RiskTier::kHigh;
  release.risk_reason = "vendor";
  release.flags = std::move(flags);
  release.identities = {"id-1"};
  release.integrations = {"stripe"};
  release.notes_json = R"({"changes":["faster"]})";
  release.plan_json = R"([{"name":"canary"}])";
  release.created_by = "ci";
  release.created_at = release.updated_at = release.stage_entered_at = kT0;
  return release;
}

ApprovalRecord MakeApproval(const std::string& id, const std::string& state,
                            const std::string& approver) {
  ApprovalRecord approval;
  approval.id = id;
  approval.kind = "tenant_activation";
  approval.state = state;
  approval.release_id = "r1";
  approval.tenant_key = "acme";
  approval.requester = "dev";
  approval.requester_user = "dev";
  approval.approver_role = "account_manager";
  approval.approver = approver;
  approval.reason = "customer asked";
  approval.created_at = kT0;
  approval.expires_at = kT0 + 24h;
  return approval;
}

// A filter with one text field set.
ReleaseFilter Release(std::string ReleaseFilter::*field, std::string value) {
  ReleaseFilter filter;
  filter.*field = std::move(value);
  return filter;
}

ApprovalFilter Approval(
    std::vector<std::pair<std::string ApprovalFilter::*, std::string>> fields) {
  ApprovalFilter filter;
  for (auto& [field, value] : fields) filter.*field = std::move(value);
  return filter;
}

class ReleaseStoreTest : public StoreContractTest {};

TEST_P(ReleaseStoreTest, ReleaseRoundTripAndCompareAndSet) {
  ReleaseRecord release = MakeRelease("r1", "checkout", {"a", "b"});
  release.next_advance_at = kT0 + 1h;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.releases().Insert(release);
              }).ok());
  ReleaseRecord read = ReadValue<ReleaseRecord>(
      [](Transaction& tx) { return tx.releases().Get("r1"); });
  EXPECT_EQ(read.service_version, "1.0.r1");
  EXPECT_EQ(read.flags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(read.risk_tier, RiskTier::kHigh);
  EXPECT_EQ(read.next_advance_at, kT0 + 1h);
  EXPECT_EQ(read.version, 1);
  read.stage = 2;
  read.version = 2;
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.releases().Update(read); }).ok());
  Status stale = Write([&](Transaction& tx) {
    ReleaseRecord old = release;
    old.version = 2;
    return tx.releases().Update(old);
  });
  EXPECT_EQ(stale.problem(), "version-conflict");
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.releases().Get("missing").status();
            }).code(),
            StatusCode::kNotFound);
}

TEST_P(ReleaseStoreTest, ReverseViewsGoverningReleasesAndPages) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(
                    tx.releases().Insert(MakeRelease("r1", "checkout", {"a"})));
                WARDEN_RETURN_IF_ERROR(tx.releases().Insert(
                    MakeRelease("r2", "checkout", {"a", "b"})));
                return tx.releases().Insert(MakeRelease("r3", "search", {}));
              }).ok());
  auto list = [&](ReleaseFilter filter, PageRequest page = {}) {
    return ReadValue<Page<ReleaseRecord>>(
        [&](Transaction& tx) { return tx.releases().List(filter, page); });
  };
  auto ids = [](const Page<ReleaseRecord>& page) {
    std::vector<std::string> out;
    for (const ReleaseRecord& r : page.items) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(ids(list({})), (std::vector<std::string>{"r3", "r2", "r1"}));
  EXPECT_EQ(ids(list(Release(&ReleaseFilter::service, "checkout"))),
            (std::vector<std::string>{"r2", "r1"}));
  EXPECT_EQ(ids(list(Release(&ReleaseFilter::flag, "b"))),
            (std::vector<std::string>{"r2"}));
  EXPECT_EQ(ids(list(Release(&ReleaseFilter::identity_id, "id-1"))).size(), 3u);
  EXPECT_EQ(ids(list(Release(&ReleaseFilter::integration, "stripe"))).size(),
            3u);
  Page<ReleaseRecord> first = list({}, {std::nullopt, 2});
  ASSERT_TRUE(first.next_after_id.has_value());
  EXPECT_EQ(ids(list({}, {first.next_after_id, 2})),
            (std::vector<std::string>{"r1"}));
  auto governing = ReadValue<std::vector<std::pair<std::string, std::string>>>(
      [](Transaction& tx) {
        return tx.releases().GoverningReleases(Environment::kProduction);
      });
  EXPECT_EQ(governing, (std::vector<std::pair<std::string, std::string>>{
                           {"a", "r2"}, {"b", "r2"}}));
}

TEST_P(ReleaseStoreTest, DueReleasesAndSignals) {
  ReleaseRecord due = MakeRelease("r1", "checkout", {});
  due.next_advance_at = kT0;
  ReleaseRecord later = MakeRelease("r2", "checkout", {});
  later.next_advance_at = kT0 + 1h;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(tx.releases().Insert(due));
                WARDEN_RETURN_IF_ERROR(tx.releases().Insert(later));
                WARDEN_RETURN_IF_ERROR(tx.releases().PutSignal(
                    {"r1", "error_rate", 0.5, "ci", kT0}));
                return tx.releases().PutSignal(
                    {"r1", "error_rate", 0.07, "ci", kT0 + 1s});
              }).ok());
  auto listed = ReadValue<std::vector<ReleaseRecord>>(
      [](Transaction& tx) { return tx.releases().ListDue(kT0 + 1s, 10); });
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, "r1");
  auto signals = ReadValue<std::vector<SignalRecord>>(
      [](Transaction& tx) { return tx.releases().ListSignals("r1"); });
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_DOUBLE_EQ(signals[0].value, 0.07);
}

TEST_P(ReleaseStoreTest, ApprovalInboxFiltersAndExpiry) {
  ASSERT_TRUE(
      Write([&](Transaction& tx) -> Status {
        WARDEN_RETURN_IF_ERROR(
            tx.approvals().Insert(MakeApproval("a1", "pending", "alice")));
        WARDEN_RETURN_IF_ERROR(
            tx.approvals().Insert(MakeApproval("a2", "pending", "bob")));
        return tx.approvals().Insert(MakeApproval("a3", "approved", "alice"));
      }).ok());
  auto list = [&](ApprovalFilter filter) {
    std::vector<std::string> out;
    for (const ApprovalRecord& a :
         ReadValue<Page<ApprovalRecord>>([&](Transaction& tx) {
           return tx.approvals().List(filter, {});
         }).items) {
      out.push_back(a.id);
    }
    return out;
  };
  EXPECT_EQ(list(Approval({{&ApprovalFilter::state, "pending"},
                           {&ApprovalFilter::approver, "alice"}})),
            (std::vector<std::string>{"a1"}));
  EXPECT_EQ(list(Approval({{&ApprovalFilter::state, "pending"}})),
            (std::vector<std::string>{"a2", "a1"}));
  EXPECT_EQ(list(Approval({{&ApprovalFilter::release_id, "r1"},
                           {&ApprovalFilter::tenant_key, "acme"}}))
                .size(),
            3u);
  auto expired = ReadValue<std::vector<ApprovalRecord>>([](Transaction& tx) {
    return tx.approvals().ListExpired(kT0 + 25h, 10);
  });
  EXPECT_EQ(expired.size(), 2u);
  ApprovalRecord decided = MakeApproval("a1", "approved", "alice");
  decided.decided_by = "alice";
  decided.decided_at = kT0 + 1h;
  decided.version = 2;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.approvals().Update(decided);
              }).ok());
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.approvals().Update(decided);
            }).problem(),
            "version-conflict");
  ApprovalRecord read = ReadValue<ApprovalRecord>(
      [](Transaction& tx) { return tx.approvals().Get("a1"); });
  EXPECT_EQ(read.decided_at, kT0 + 1h);
  EXPECT_EQ(read.state, "approved");
}

TEST_P(ReleaseStoreTest, ConsentsReplacePerTenantFlagAndKind) {
  ASSERT_TRUE(
      Write([&](Transaction& tx) -> Status {
        WARDEN_RETURN_IF_ERROR(tx.consents().Put(
            {"acme", "beta", "opt_in", "self_service", "", "u", kT0}));
        WARDEN_RETURN_IF_ERROR(tx.consents().Put(
            {"acme", "beta", "opt_in", "account_manager", "", "am", kT0 + 1s}));
        return tx.consents().Put(
            {"globex", "beta", "notice", "account_manager", "r1", "am", kT0});
      }).ok());
  auto acme = ReadValue<std::vector<ConsentRecord>>(
      [](Transaction& tx) { return tx.consents().ListForTenant("acme"); });
  ASSERT_EQ(acme.size(), 1u);
  EXPECT_EQ(acme[0].via, "account_manager");
  auto beta = ReadValue<std::vector<ConsentRecord>>([](Transaction& tx) {
    return tx.consents().ListForFlags({"beta", "other"});
  });
  EXPECT_EQ(beta.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Implementations, ReleaseStoreTest,
                         testing::ValuesIn(StoreImplementations()),
                         StoreImplementationName);

}  // namespace
}  // namespace warden
