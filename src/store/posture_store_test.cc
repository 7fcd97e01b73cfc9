// The Store contract for posture and discovery (findings and their range
// reads, observations, scans and drift, review campaigns, maturity
// snapshots, usage sightings, the identity's discovery fields), run
// against every implementation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_test_fixture.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = kStoreTestT0;

Identity MakeIdentity(const std::string& id, const std::string& name,
                      const std::string& owner = "payments") {
  Identity identity;
  identity.id = id;
  identity.name = name;
  identity.owner = owner;
  identity.application = "checkout";
  identity.environment = Environment::kProduction;
  identity.expires_at = kT0 + 24h * 30;
  identity.created_at = identity.updated_at = kT0;
  return identity;
}

FindingRecord MakeFinding(const std::string& id, const std::string& rule,
                          const std::string& subject_key,
                          const std::string& identity_id = "") {
  FindingRecord f;
  f.id = id;
  f.rule = rule;
  f.fingerprint = rule + "|" + subject_key;
  f.severity = "high";
  f.subject_key = subject_key;
  f.identity_id = identity_id;
  f.subject = "s-" + subject_key;
  f.owner = "payments";
  f.owasp = "NHI7";
  f.csf = {"PR.AA-01"};
  f.evidence_json = R"({"age_days":40})";
  f.first_seen = f.last_seen = kT0;
  return f;
}

ObservationRecord MakeObservation(const std::string& kind,
                                  const std::string& key,
                                  const std::string& identity_id = "") {
  ObservationRecord o;
  o.id = "obs-" + key;
  o.kind = kind;
  o.key = key;
  o.source = "k8s";
  o.scan_target = "deploy/";
  o.name = key;
  o.identity_id = identity_id;
  o.first_seen = o.last_seen = kT0;
  return o;
}

class PostureStoreTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    ASSERT_TRUE(Write([](Transaction& tx) -> Status {
                  Team team;
                  team.name = "payments";
                  team.created_at = team.updated_at = kT0;
                  WARDEN_RETURN_IF_ERROR(tx.teams().Insert(team));
                  Identity a = MakeIdentity("id-a", "api");
                  a.external_id = "k8s:prod/api";
                  a.sponsor = "alice";
                  a.task_scope = "triage";
                  WARDEN_RETURN_IF_ERROR(tx.identities().Insert(a));
                  Identity b = MakeIdentity("id-b", "batch");
                  b.external_id = "k8s:prod/batch";
                  b.status = IdentityStatus::kDraft;
                  return tx.identities().Insert(b);
                }).ok());
  }
};

TEST_P(PostureStoreTest, IdentityDiscoveryFieldsRoundTrip) {
  Identity a = ReadValue<Identity>([](Transaction& tx) {
    return tx.identities().GetByExternalId("k8s:prod/api");
  });
  EXPECT_EQ(a.id, "id-a");
  EXPECT_EQ(a.sponsor, "alice");
  EXPECT_EQ(a.task_scope, "triage");
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.identities().GetByExternalId("").status();
            }).code(),
            StatusCode::kNotFound);
  IdentityFilter drafts;
  drafts.status = IdentityStatus::kDraft;
  EXPECT_EQ(ReadValue<int64_t>(
                [&](Transaction& tx) { return tx.identities().Count(drafts); }),
            1);
}

TEST_P(PostureStoreTest, FindingsListCountRangeAndCompareAndSet) {
  ASSERT_TRUE(
      Write([](Transaction& tx) -> Status {
        WARDEN_RETURN_IF_ERROR(tx.findings().Insert(
            MakeFinding("f1", "identity-unused", "id-a", "id-a")));
        WARDEN_RETURN_IF_ERROR(tx.findings().Insert(MakeFinding(
            "f2", "certificate-expiring", "id-a/certificate/0a", "id-a")));
        FindingRecord other =
            MakeFinding("f3", "secret-leaked", "observation/x/y");
        other.owasp = "NHI2";
        other.severity = "critical";
        return tx.findings().Insert(other);
      }).ok());
  Status duplicate = Write([](Transaction& tx) {
    return tx.findings().Insert(
        MakeFinding("f4", "identity-unused", "id-a", "id-a"));
  });
  EXPECT_FALSE(duplicate.ok());  // one finding per rule and subject

  // The range of identity id-a covers its own key and what it holds.
  auto range = ReadValue<std::vector<FindingRecord>>([](Transaction& tx) {
    return tx.findings().ListBySubjectBetween("", "id-a/\x7f");
  });
  ASSERT_EQ(range.size(), 2u);
  EXPECT_EQ(range[0].subject_key, "id-a");
  EXPECT_EQ(range[1].csf, std::vector<std::string>{"PR.AA-01"});

  FindingFilter nhi2;
  nhi2.owasp = "NHI2";
  auto page = ReadValue<Page<FindingRecord>>([&](Transaction& tx) {
    return tx.findings().List(nhi2, {std::nullopt, 10});
  });
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, "f3");

  FindingFilter by_application;  // joins identities
  by_application.application = "checkout";
  auto joined = ReadValue<Page<FindingRecord>>([&](Transaction& tx) {
    return tx.findings().List(by_application, {std::nullopt, 10});
  });
  EXPECT_EQ(joined.items.size(), 2u);

  auto first = ReadValue<Page<FindingRecord>>([](Transaction& tx) {
    return tx.findings().List({}, {std::nullopt, 2});
  });
  ASSERT_TRUE(first.next_after_id.has_value());
  auto rest = ReadValue<Page<FindingRecord>>([&](Transaction& tx) {
    return tx.findings().List({}, {first.next_after_id, 2});
  });
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_EQ(rest.items[0].id, "f1");  // newest first

  FindingRecord f1 = ReadValue<FindingRecord>(
      [](Transaction& tx) { return tx.findings().Get("f1"); });
  f1.state = "resolved";
  f1.resolved_at = kT0 + 1h;
  f1.version = 2;
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.findings().Update(f1); }).ok());
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.findings().Update(f1);
            }).problem(),
            "version-conflict");
  FindingFilter unresolved;
  unresolved.state = "unresolved";
  auto counts = ReadValue<std::vector<FindingCount>>(
      [&](Transaction& tx) { return tx.findings().Count(unresolved); });
  int64_t total = 0;
  for (const FindingCount& c : counts) total += c.count;
  EXPECT_EQ(total, 2);
}

TEST_P(PostureStoreTest, ObservationsDriftAndScans) {
  ASSERT_TRUE(Write([](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(tx.observations().Put(MakeObservation(
                    "k8s_service_account", "k8s:prod/api", "id-a")));
                WARDEN_RETURN_IF_ERROR(tx.observations().Put(
                    MakeObservation("k8s_service_account", "prod/ghost")));
                ObservationRecord changed =
                    MakeObservation("certificate", "ff", "id-a");
                changed.changes_json = R"([{"field":"expires_at"}])";
                return tx.observations().Put(changed);
              }).ok());
  // A re-scan keeps the id and first_seen.
  ObservationRecord again =
      MakeObservation("k8s_service_account", "prod/ghost");
  again.id = "other";
  again.first_seen = again.last_seen = kT0 + 2h;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.observations().Put(again);
              }).ok());
  ObservationRecord ghost = ReadValue<ObservationRecord>([](Transaction& tx) {
    return tx.observations().Get("k8s_service_account", "prod/ghost");
  });
  EXPECT_EQ(ghost.id, "obs-prod/ghost");
  EXPECT_EQ(ghost.first_seen, kT0);
  EXPECT_EQ(ghost.last_seen, kT0 + 2h);

  ObservationFilter unmanaged;
  unmanaged.unmanaged_only = true;
  EXPECT_EQ(ReadValue<int64_t>([&](Transaction& tx) {
              return tx.observations().Count(unmanaged);
            }),
            1);
  ObservationFilter changed;
  changed.changed_only = true;
  EXPECT_EQ(ReadValue<int64_t>([&](Transaction& tx) {
              return tx.observations().Count(changed);
            }),
            1);
  // id-b (a draft with an external id) is not seen: missing.
  auto missing = ReadValue<Page<Identity>>([](Transaction& tx) {
    return tx.observations().ListMissing({std::nullopt, 10});
  });
  ASSERT_EQ(missing.items.size(), 1u);
  EXPECT_EQ(missing.items[0].id, "id-b");

  auto counts = ReadValue<std::pair<int64_t, int64_t>>([](Transaction& tx) {
    return tx.observations().CountInventoried(
        {"certificate", "k8s_service_account"}, {});
  });
  EXPECT_EQ(counts, (std::pair<int64_t, int64_t>{3, 2}));
  IdentityFilter team;
  team.owner = "payments";
  auto scoped = ReadValue<std::pair<int64_t, int64_t>>([&](Transaction& tx) {
    return tx.observations().CountInventoried({"k8s_service_account"}, team);
  });
  EXPECT_EQ(scoped, (std::pair<int64_t, int64_t>{1, 1}));

  // Paging in (kind, key) order.
  auto first = ReadValue<Page<ObservationRecord>>([](Transaction& tx) {
    return tx.observations().List({}, {std::nullopt, 2});
  });
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].kind, "certificate");
  ASSERT_TRUE(first.next_after_id.has_value());
  auto rest = ReadValue<Page<ObservationRecord>>([&](Transaction& tx) {
    return tx.observations().List({}, {first.next_after_id, 2});
  });
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_EQ(rest.items[0].key, "prod/ghost");

  // A complete scan marks what it did not see again.
  int64_t gone = 0;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_ASSIGN_OR_RETURN(gone, tx.observations().MarkGone(
                                                  "k8s", "deploy/", kT0 + 1h));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(gone, 2);  // the api SA and the certificate, not the re-scanned
  EXPECT_EQ(ReadValue<int64_t>([](Transaction& tx) {
              return tx.observations().CountMissing();
            }),
            2);  // id-a is no longer seen either

  ScanRunRecord scan;
  scan.id = "s1";
  scan.source = "k8s";
  scan.target = "deploy/";
  scan.started_at = kT0;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.observations().PutScan(scan);
              }).ok());
  scan.state = "complete";
  scan.finished_at = kT0 + 1h;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.observations().PutScan(scan);
              }).ok());
  auto scans = ReadValue<std::vector<ScanRunRecord>>(
      [](Transaction& tx) { return tx.observations().ListScans(10); });
  ASSERT_EQ(scans.size(), 1u);
  EXPECT_EQ(scans[0].state, "complete");
}

TEST_P(PostureStoreTest, ReviewCampaignsItemsAndKeptDecisions) {
  ReviewCampaignRecord c;
  c.id = "c1";
  c.name = "Q4";
  c.due_at = kT0 + 24h;
  c.created_at = kT0;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(tx.reviews().InsertCampaign(c));
                for (const char* id : {"id-a", "id-b"}) {
                  ReviewItemRecord item;
                  item.campaign_id = "c1";
                  item.identity_id = id;
                  item.owner = "payments";
                  WARDEN_RETURN_IF_ERROR(tx.reviews().PutItem(item));
                }
                return Status::Ok();
              }).ok());
  ReviewItemRecord kept = ReadValue<ReviewItemRecord>(
      [](Transaction& tx) { return tx.reviews().GetItem("c1", "id-a"); });
  kept.decision = "keep";
  kept.justification = "runs payroll";
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return tx.reviews().PutItem(kept); }).ok());
  auto counts = ReadValue<std::map<std::string, int64_t>>(
      [](Transaction& tx) { return tx.reviews().CountItems("c1"); });
  EXPECT_EQ(counts,
            (std::map<std::string, int64_t>{{"keep", 1}, {"pending", 1}}));
  auto kept_rows = ReadValue<std::vector<ReviewItemRecord>>(
      [](Transaction& tx) { return tx.reviews().ListKeptBetween("", "id-z"); });
  ASSERT_EQ(kept_rows.size(), 1u);
  EXPECT_EQ(kept_rows[0].identity_id, "id-a");
  auto due = ReadValue<std::vector<ReviewCampaignRecord>>(
      [](Transaction& tx) { return tx.reviews().ListDue(kT0 + 48h); });
  ASSERT_EQ(due.size(), 1u);
  auto pending = ReadValue<Page<ReviewItemRecord>>([](Transaction& tx) {
    return tx.reviews().ListItems("c1", "pending", {std::nullopt, 10});
  });
  ASSERT_EQ(pending.items.size(), 1u);
  EXPECT_EQ(pending.items[0].identity_id, "id-b");
  c.state = "closed";
  c.version = 2;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.reviews().UpdateCampaign(c);
              }).ok());
  EXPECT_EQ(Write([&](Transaction& tx) {
              return tx.reviews().UpdateCampaign(c);
            }).problem(),
            "version-conflict");
}

TEST_P(PostureStoreTest, MaturityHistoryAndUsageSightingsMerge) {
  MaturitySnapshotRecord s;
  s.scope = "team:payments";
  s.identities = 10;
  s.justified = 4;
  for (int day = 0; day < 3; ++day) {
    s.taken_at = kT0 + 24h * day;
    s.justified += 2;
    ASSERT_TRUE(
        Write([&](Transaction& tx) { return tx.maturity().Insert(s); }).ok());
  }
  auto history = ReadValue<std::vector<MaturitySnapshotRecord>>(
      [](Transaction& tx) { return tx.maturity().List("team:payments", 2); });
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].justified, 10);  // newest first

  UsageSightingRecord u;
  u.identity_id = "id-a";
  u.source_network = "10.0.0.0/24";
  u.user_agent = "curl/8";
  u.first_seen = u.last_seen = kT0;
  u.uses = 2;
  u.hours_mask = 1 << 3;
  UsageSightingRecord later = u;
  later.first_seen = later.last_seen = kT0 + 1h;
  later.uses = 5;
  later.hours_mask = 1 << 4;
  UsageSightingRecord unknown = u;
  unknown.identity_id = "no-such-identity";
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(tx.usage().AddSightings({u, unknown}));
                return tx.usage().AddSightings({later});
              }).ok());
  auto rows = ReadValue<std::vector<UsageSightingRecord>>([](Transaction& tx) {
    return tx.usage().ListSightingsBetween("", "id-z");
  });
  ASSERT_EQ(rows.size(), 1u);  // unknown identities are dropped
  EXPECT_EQ(rows[0].uses, 7);
  EXPECT_EQ(rows[0].hours_mask, (1 << 3) | (1 << 4));
  EXPECT_EQ(rows[0].first_seen, kT0);
  EXPECT_EQ(rows[0].last_seen, kT0 + 1h);
}

INSTANTIATE_TEST_SUITE_P(Implementations, PostureStoreTest,
                         testing::ValuesIn(StoreImplementations()),
                         StoreImplementationName);

}  // namespace
}  // namespace warden
