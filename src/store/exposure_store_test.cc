// The Store contract for the release-exposure repositories (flags, tenants,
// segments, exposure limits), run against every implementation like
// store_test.cc: PostgreSQL joins by adding a factory to the INSTANTIATE at
// the bottom. Nothing here depends on one implementation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_test_fixture.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = kStoreTestT0;

FlagRecord MakeFlag(Environment env, const std::string& key) {
  FlagRecord flag;
  flag.environment = env;
  flag.key = key;
  flag.type = "boolean";
  flag.definition_json = R"({"variants":{"on":true,"off":false}})";
  flag.owner_team = "payments";
  flag.created_at = flag.updated_at = kT0;
  return flag;
}

TenantRecord MakeTenant(const std::string& key,
                        std::vector<std::string> integrations = {}) {
  TenantRecord tenant;
  tenant.key = key;
  tenant.name = "Tenant " + key;
  tenant.account_manager = "alice";
  tenant.attributes_json = R"({"plan":"enterprise"})";
  tenant.integrations = std::move(integrations);
  tenant.created_at = tenant.updated_at = kT0;
  return tenant;
}

SegmentRecord MakeSegment(const std::string& key) {
  SegmentRecord segment;
  segment.key = key;
  segment.description = "cohort " + key;
  segment.created_at = segment.updated_at = kT0;
  return segment;
}

ExposureLimitRecord MakeLimit(const std::string& id, Timestamp at) {
  ExposureLimitRecord limit;
  limit.id = id;
  limit.scope = "tenant";
  limit.scope_values = {"acme"};
  limit.flag_keys = {"checkout", "search"};
  limit.reason = "incident 7";
  limit.actor = "sec-bob";
  limit.actor_role = "security";
  limit.created_at = at;
  return limit;
}

class ExposureStoreTest : public StoreContractTest {};

TEST_P(ExposureStoreTest, FlagsRoundTripPerEnvironment) {
  FlagRecord flag = MakeFlag(Environment::kProduction, "checkout");
  flag.release = "2026.11";
  flag.description = "new checkout";
  flag.stale_after_days = 45;
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.flags().Insert(flag); }).ok());
  FlagRecord got = ReadValue<FlagRecord>([](Transaction& tx) {
    return tx.flags().Get(Environment::kProduction, "checkout");
  });
  EXPECT_EQ(got.key, "checkout");
  EXPECT_EQ(got.definition_json, flag.definition_json);
  EXPECT_EQ(got.release, "2026.11");
  EXPECT_EQ(got.stale_after_days, 45);
  EXPECT_FALSE(got.last_evaluated_at.has_value());
  // Same key, other environment: absent.
  Status missing = ReadStatus([](Transaction& tx) {
    return tx.flags().Get(Environment::kStaging, "checkout").status();
  });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  Status duplicate =
      Write([&](Transaction& tx) { return tx.flags().Insert(flag); });
  EXPECT_EQ(duplicate.code(), StatusCode::kAlreadyExists);
}

TEST_P(ExposureStoreTest, FlagListOrdersByKeyAndHidesArchived) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                for (const char* key : {"zeta", "alpha", "mid"}) {
                  FlagRecord flag = MakeFlag(Environment::kDevelopment, key);
                  flag.archived = std::string(key) == "mid";
                  WARDEN_RETURN_IF_ERROR(tx.flags().Insert(flag));
                }
                return tx.flags().Insert(
                    MakeFlag(Environment::kStaging, "other"));
              }).ok());
  auto keys = [&](bool archived) {
    std::vector<std::string> out;
    for (const FlagRecord& f :
         ReadValue<std::vector<FlagRecord>>([&](Transaction& tx) {
           return tx.flags().List(Environment::kDevelopment, archived);
         })) {
      out.push_back(f.key);
    }
    return out;
  };
  EXPECT_EQ(keys(false), (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_EQ(keys(true), (std::vector<std::string>{"alpha", "mid", "zeta"}));
}

TEST_P(ExposureStoreTest, FlagUpdateIsCompareAndSet) {
  FlagRecord flag = MakeFlag(Environment::kDevelopment, "checkout");
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.flags().Insert(flag); }).ok());
  flag.version = 2;
  flag.enabled = false;
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.flags().Update(flag); }).ok());
  // A second writer that also read version 1 loses.
  Status stale =
      Write([&](Transaction& tx) { return tx.flags().Update(flag); });
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(stale.problem(), "version-conflict");
  FlagRecord got = ReadValue<FlagRecord>([](Transaction& tx) {
    return tx.flags().Get(Environment::kDevelopment, "checkout");
  });
  EXPECT_FALSE(got.enabled);
  EXPECT_EQ(got.version, 2);
}

TEST_P(ExposureStoreTest, TouchLastEvaluatedKeepsTheLatestAndIgnoresUnknown) {
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.flags().Insert(
                    MakeFlag(Environment::kDevelopment, "checkout"));
              }).ok());
  auto touch = [&](Timestamp at) {
    return Write([&](Transaction& tx) {
      return tx.flags().TouchLastEvaluated(Environment::kDevelopment,
                                           {"checkout", "no-such-flag"}, at);
    });
  };
  ASSERT_TRUE(touch(kT0 + 10s).ok());
  ASSERT_TRUE(touch(kT0 + 5s).ok());  // older batch flushed late
  FlagRecord got = ReadValue<FlagRecord>([](Transaction& tx) {
    return tx.flags().Get(Environment::kDevelopment, "checkout");
  });
  ASSERT_TRUE(got.last_evaluated_at.has_value());
  EXPECT_EQ(*got.last_evaluated_at, kT0 + 10s);
  EXPECT_EQ(got.version, 1);  // bookkeeping is not a change
}

TEST_P(ExposureStoreTest, TenantPagesFilterByTextAndAccountManager) {
  ASSERT_TRUE(Write([](Transaction& tx) -> Status {
                for (const char* key :
                     {"acme", "acme_labs", "globex", "initech", "umbrella"}) {
                  TenantRecord tenant = MakeTenant(key, {"sap"});
                  tenant.name = std::string("Name of ") + key;
                  tenant.account_manager =
                      std::string(key).starts_with("a") ? "ann" : "bob";
                  WARDEN_RETURN_IF_ERROR(tx.tenants().Insert(tenant));
                }
                return Status::Ok();
              }).ok());
  auto page = [&](TenantFilter filter, PageRequest request) {
    return ReadValue<Page<TenantRecord>>([&](Transaction& tx) {
      return tx.tenants().ListPage(filter, request);
    });
  };
  Page<TenantRecord> first = page({}, {std::nullopt, 2});
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].key, "acme");
  EXPECT_EQ(first.items[0].integrations, std::vector<std::string>{"sap"});
  ASSERT_TRUE(first.next_after_id.has_value());
  Page<TenantRecord> rest = page({}, {first.next_after_id, 10});
  EXPECT_EQ(rest.items.size(), 3u);
  EXPECT_FALSE(rest.next_after_id.has_value());
  EXPECT_EQ(page({"ACME", ""}, {}).items.size(), 2u);     // case-insensitive
  EXPECT_EQ(page({"of glob", ""}, {}).items.size(), 1u);  // the name
  EXPECT_EQ(page({"", "bob"}, {}).items.size(), 3u);
  // LIKE's wildcards in the text are literal.
  EXPECT_EQ(page({"_", ""}, {}).items.size(), 1u);
  EXPECT_EQ(page({"%", ""}, {}).items.size(), 0u);
}

TEST_P(ExposureStoreTest, TenantsKeepIntegrationsAndUpdateReplacesThem) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(
                    tx.tenants().Insert(MakeTenant("globex", {"sap"})));
                return tx.tenants().Insert(
                    MakeTenant("acme", {"salesforce", "github"}));
              }).ok());
  TenantRecord acme = ReadValue<TenantRecord>(
      [](Transaction& tx) { return tx.tenants().Get("acme"); });
  EXPECT_EQ(acme.integrations,
            (std::vector<std::string>{"github", "salesforce"}));
  EXPECT_EQ(acme.attributes_json, R"({"plan":"enterprise"})");
  acme.integrations = {"slack"};
  acme.version = 2;
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.tenants().Update(acme); }).ok());
  std::vector<TenantRecord> all = ReadValue<std::vector<TenantRecord>>(
      [](Transaction& tx) { return tx.tenants().List(); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key, "acme");
  EXPECT_EQ(all[0].integrations, std::vector<std::string>{"slack"});
  EXPECT_EQ(all[1].integrations, std::vector<std::string>{"sap"});
  Status stale =
      Write([&](Transaction& tx) { return tx.tenants().Update(acme); });
  EXPECT_EQ(stale.problem(), "version-conflict");
  Status missing = ReadStatus(
      [](Transaction& tx) { return tx.tenants().Get("initech").status(); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
}

TEST_P(ExposureStoreTest, SegmentMembersAreAddedAndRemovedIncrementally) {
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.segments().Insert(MakeSegment("canary"));
              }).ok());
  auto add = [&](std::vector<std::string> keys) {
    int64_t added = -1;
    EXPECT_TRUE(Write([&](Transaction& tx) -> Status {
                  WARDEN_ASSIGN_OR_RETURN(
                      added, tx.segments().AddTenants("canary", keys));
                  return Status::Ok();
                }).ok());
    return added;
  };
  EXPECT_EQ(add({"b", "a"}), 2);
  EXPECT_EQ(add({"a", "c"}), 1);  // "a" already present
  int64_t removed = -1;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_ASSIGN_OR_RETURN(
                    removed, tx.segments().RemoveTenants("canary", {"b", "x"}));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(ReadValue<std::vector<std::string>>([](Transaction& tx) {
              return tx.segments().ListTenants("canary");
            }),
            (std::vector<std::string>{"a", "c"}));
  SegmentRecord got = ReadValue<SegmentRecord>(
      [](Transaction& tx) { return tx.segments().Get("canary"); });
  EXPECT_EQ(got.tenant_count, 2);
  Status unknown = Write([](Transaction& tx) {
    return tx.segments().AddTenants("nope", {"a"}).status();
  });
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
}

TEST_P(ExposureStoreTest, HundredThousandMemberSegmentGrowsByOneCheaply) {
  std::vector<std::string> keys;
  for (int i = 0; i < 100'000; ++i) keys.push_back("t" + std::to_string(i));
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(
                    tx.segments().Insert(MakeSegment("big")));
                return tx.segments().AddTenants("big", keys).status();
              }).ok());
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.segments().AddTenants("big", {"newcomer"}).status();
              }).ok());
  SegmentRecord got = ReadValue<SegmentRecord>(
      [](Transaction& tx) { return tx.segments().Get("big"); });
  EXPECT_EQ(got.tenant_count, 100'001);
}

TEST_P(ExposureStoreTest, SegmentUpdateKeepsMembers) {
  SegmentRecord segment = MakeSegment("eu");
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(tx.segments().Insert(segment));
                return tx.segments().AddTenants("eu", {"acme"}).status();
              }).ok());
  segment.rules_json = R"([{"attribute":"region","op":"equals","value":"eu"}])";
  segment.version = 2;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.segments().Update(segment);
              }).ok());
  std::vector<SegmentRecord> all = ReadValue<std::vector<SegmentRecord>>(
      [](Transaction& tx) { return tx.segments().List(); });
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].rules_json, segment.rules_json);
  EXPECT_EQ(all[0].tenant_count, 1);
}

TEST_P(ExposureStoreTest, LimitsAreListedActiveOrAllAndLiftedInPlace) {
  ExposureLimitRecord first = MakeLimit("lim-1", kT0);
  ExposureLimitRecord second = MakeLimit("lim-2", kT0 + 1s);
  second.scope = "flags";
  second.scope_values.clear();
  second.flag_keys.clear();
  second.environment = Environment::kProduction;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(tx.exposure_limits().Insert(second));
                return tx.exposure_limits().Insert(first);
              }).ok());
  first.lifted_at = kT0 + 1h;
  first.lifted_by = "admin";
  first.lift_reason = "resolved";
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.exposure_limits().Update(first);
              }).ok());
  auto ids = [&](bool active_only) {
    std::vector<std::string> out;
    for (const ExposureLimitRecord& l :
         ReadValue<std::vector<ExposureLimitRecord>>([&](Transaction& tx) {
           return tx.exposure_limits().List(active_only);
         })) {
      out.push_back(l.id);
    }
    return out;
  };
  EXPECT_EQ(ids(true), std::vector<std::string>{"lim-2"});
  EXPECT_EQ(ids(false), (std::vector<std::string>{"lim-1", "lim-2"}));
  ExposureLimitRecord got = ReadValue<ExposureLimitRecord>(
      [](Transaction& tx) { return tx.exposure_limits().Get("lim-1"); });
  EXPECT_FALSE(got.active());
  EXPECT_EQ(got.lifted_by, "admin");
  EXPECT_EQ(got.actor_role, "security");
  EXPECT_EQ(got.flag_keys, (std::vector<std::string>{"checkout", "search"}));
  EXPECT_FALSE(got.environment.has_value());
  ExposureLimitRecord global = ReadValue<ExposureLimitRecord>(
      [](Transaction& tx) { return tx.exposure_limits().Get("lim-2"); });
  EXPECT_EQ(global.environment, Environment::kProduction);
  EXPECT_TRUE(global.scope_values.empty());
}

TEST_P(ExposureStoreTest, LimitReportIsRecordedAfterInsertAndRead) {
  ExposureLimitRecord limit = MakeLimit("lim-r", kT0);
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.exposure_limits().Insert(limit);
              }).ok());
  ExposureLimitRecord got = ReadValue<ExposureLimitRecord>(
      [](Transaction& tx) { return tx.exposure_limits().Get("lim-r"); });
  EXPECT_FALSE(got.time_to_limit_us.has_value());
  EXPECT_EQ(got.report_json, "");
  limit.time_to_limit_us = 1234;
  limit.report_json = R"({"tokens_revoked":{"tenants":1}})";
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.exposure_limits().Update(limit);
              }).ok());
  limit.lifted_at = kT0 + 1h;  // lifting keeps the report
  limit.lifted_by = "admin";
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.exposure_limits().Update(limit);
              }).ok());
  std::vector<ExposureLimitRecord> all =
      ReadValue<std::vector<ExposureLimitRecord>>(
          [](Transaction& tx) { return tx.exposure_limits().List(false); });
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].time_to_limit_us, 1234);
  EXPECT_EQ(all[0].report_json, limit.report_json);
  EXPECT_FALSE(all[0].active());
}

TEST_P(ExposureStoreTest, FailedUnitLeavesNoHalfImport) {
  Status failed = Write([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(
        tx.flags().Insert(MakeFlag(Environment::kDevelopment, "a")));
    return InvalidArgument("flags.b: bad");
  });
  EXPECT_EQ(failed.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ReadValue<std::vector<FlagRecord>>([](Transaction& tx) {
                return tx.flags().List(Environment::kDevelopment, true);
              }).empty());
}

TEST_P(ExposureStoreTest, ReadTransactionsRefuseExposureWrites) {
  Status status = ReadStatus(
      [](Transaction& tx) { return tx.tenants().Insert(MakeTenant("acme")); });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
}

INSTANTIATE_TEST_SUITE_P(Implementations, ExposureStoreTest,
                         testing::ValuesIn(StoreImplementations()),
                         StoreImplementationName);

}  // namespace
}  // namespace warden
