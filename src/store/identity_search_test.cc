// The name search contract (IdentityFilter::name_contains), run against
// every Store implementation: a case-insensitive (ASCII) substring of the
// name, combined with the other filters and keyset pagination, exactly as
// a scan of every name would answer, whatever index an implementation
// keeps, and kept right across renames.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/id.h"
#include "store/store.h"
#include "store/store_test_fixture.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = kStoreTestT0;

// Names mixing case, separators, FTS and LIKE syntax characters, repeated
// trigrams and non-ASCII letters (which the substring test does not fold).
std::vector<std::string> NameStems() {
  return {"Svc-Payments", "svc-payments-EU", "billing\"quoted\"", "ledger_100%",
          "aaaa-aaa",     "Zähler-Ünit",     "ZÄHLER-ünit",       "x",
          "ab",           "abc AND def",     "NEAR(one two)",     "payments*"};
}

// ASCII lower-casing, as the contract folds case.
std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool NameContains(const std::string& name, const std::string& needle) {
  return AsciiLower(name).find(AsciiLower(needle)) != std::string::npos;
}

class IdentityNameSearchTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    for (const char* name : {"payments", "identity"}) {
      Team team;
      team.name = name;
      team.created_at = team.updated_at = kT0;
      ASSERT_TRUE(
          Write([&](Transaction& tx) { return tx.teams().Insert(team); }).ok());
    }
  }

  Identity MakeIdentity(const std::string& name, int i) {
    Identity identity;
    identity.id = NewId(kT0);
    identity.name = name;
    identity.owner = i % 2 == 0 ? "payments" : "identity";
    identity.application = "checkout";
    identity.auth_method = "oidc";
    identity.risk_tier = i % 3 == 0 ? RiskTier::kCritical : RiskTier::kLow;
    identity.status =
        i % 4 == 0 ? IdentityStatus::kSuspended : IdentityStatus::kActive;
    identity.created_at = identity.updated_at = kT0;
    identity.expires_at = kT0 + std::chrono::hours(i);
    return identity;
  }

  void Insert(const std::vector<Identity>& identities) {
    Status status = Write([&](Transaction& tx) {
      for (const Identity& identity : identities) {
        WARDEN_RETURN_IF_ERROR(tx.identities().Insert(identity));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  // Every page of List(filter) with `page_size`, in order.
  std::vector<std::string> ListAllIds(const IdentityFilter& filter,
                                      int page_size) {
    std::vector<std::string> ids;
    PageRequest page{std::nullopt, page_size};
    for (int guard = 0; guard < 10000; ++guard) {
      Page<Identity> result = ReadValue<Page<Identity>>(
          [&](Transaction& tx) { return tx.identities().List(filter, page); });
      EXPECT_LE(result.items.size(), static_cast<size_t>(page_size));
      for (const Identity& identity : result.items) ids.push_back(identity.id);
      if (!result.next_after_id) break;
      EXPECT_EQ(*result.next_after_id, result.items.back().id);
      page.after_id = result.next_after_id;
    }
    return ids;
  }

  int64_t CountOf(const IdentityFilter& filter) {
    return ReadValue<int64_t>(
        [&](Transaction& tx) { return tx.identities().Count(filter); });
  }

  // The ids a scan of `all` answers for `filter`, sorted.
  static std::vector<std::string> Expected(const std::vector<Identity>& all,
                                           const IdentityFilter& filter) {
    std::vector<std::string> ids;
    for (const Identity& i : all) {
      if (filter.name_contains && !NameContains(i.name, *filter.name_contains))
        continue;
      if (filter.owner && i.owner != *filter.owner) continue;
      if (filter.status && i.status != *filter.status) continue;
      if (filter.risk_tier && i.risk_tier != *filter.risk_tier) continue;
      if (filter.expiring_before && !(i.expires_at < *filter.expiring_before))
        continue;
      ids.push_back(i.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }
};

TEST_P(IdentityNameSearchTest, MatchesAScanOfEveryNameWithEveryFilter) {
  std::vector<Identity> all;
  int i = 0;
  for (int copy = 0; copy < 12; ++copy) {
    for (const std::string& stem : NameStems()) {
      all.push_back(MakeIdentity(stem + "-" + std::to_string(copy), i++));
    }
  }
  Insert(all);
  const std::vector<std::string> needles = {"svc",
                                            "SVC-pay",
                                            "payments-eu-1",
                                            "Y",
                                            "-1",
                                            "ab",
                                            "abc",
                                            "\"quoted\"",
                                            "\"",
                                            "0%",
                                            "_1",
                                            "aaa",
                                            "aaaa-a",
                                            "ähl",
                                            "ÄHL",
                                            "Zähler",
                                            "zÄhler",
                                            "AND",
                                            "c A",
                                            "NEAR(",
                                            "ents*",
                                            "nothing",
                                            "ü",
                                            "-11",
                                            "svc-payments-eu-11",
                                            "%",
                                            "payments*"};
  std::vector<IdentityFilter> filters;
  for (const std::string& needle : needles) {
    IdentityFilter alone;
    alone.name_contains = needle;
    filters.push_back(alone);
    IdentityFilter owner_status = alone;
    owner_status.owner = "payments";
    owner_status.status = IdentityStatus::kActive;
    filters.push_back(owner_status);
    IdentityFilter tier_expiry = alone;
    tier_expiry.risk_tier = RiskTier::kCritical;
    tier_expiry.expiring_before = kT0 + 100h;
    filters.push_back(tier_expiry);
  }
  for (const IdentityFilter& filter : filters) {
    SCOPED_TRACE("q=" + *filter.name_contains +
                 (filter.owner ? " owner+status" : "") +
                 (filter.risk_tier ? " tier+expiry" : ""));
    std::vector<std::string> expected = Expected(all, filter);
    EXPECT_EQ(ListAllIds(filter, 3), expected);
    EXPECT_EQ(ListAllIds(filter, 500), expected);
    EXPECT_EQ(CountOf(filter), static_cast<int64_t>(expected.size()));
  }
}

TEST_P(IdentityNameSearchTest, FindsRenamedIdentitiesByTheirNewNameOnly) {
  Identity identity = MakeIdentity("svc-before-rename", 1);
  Insert({identity, MakeIdentity("svc-bystander", 2)});
  identity.name = "svc-After-Rename";
  identity.version = 2;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.identities().Update(identity);
              }).ok());
  IdentityFilter old_name;
  old_name.name_contains = "before";
  EXPECT_TRUE(ListAllIds(old_name, 10).empty());
  IdentityFilter new_name;
  new_name.name_contains = "after-rename";
  EXPECT_EQ(ListAllIds(new_name, 10), std::vector<std::string>{identity.id});
  // An update that keeps the name keeps it findable.
  identity.status = IdentityStatus::kSuspended;
  identity.version = 3;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.identities().Update(identity);
              }).ok());
  EXPECT_EQ(ListAllIds(new_name, 10), std::vector<std::string>{identity.id});
  IdentityFilter both;
  both.name_contains = "svc-";
  EXPECT_EQ(ListAllIds(both, 1).size(), 2u);
}

TEST_P(IdentityNameSearchTest, ARolledBackUnitLeavesNoSearchableName) {
  Status status = Write([&](Transaction& tx) {
    WARDEN_RETURN_IF_ERROR(
        tx.identities().Insert(MakeIdentity("svc-rolled-back", 1)));
    return Internal("the unit fails after the insert");
  });
  ASSERT_FALSE(status.ok());
  IdentityFilter filter;
  filter.name_contains = "rolled-back";
  EXPECT_TRUE(ListAllIds(filter, 10).empty());
  EXPECT_EQ(CountOf(filter), 0);
}

INSTANTIATE_TEST_SUITE_P(Implementations, IdentityNameSearchTest,
                         testing::ValuesIn(StoreImplementations()),
                         StoreImplementationName);

}  // namespace
}  // namespace warden
