#include "posture/finding_reconciler.h"

#include <gtest/gtest.h>

#include "posture/finding_catalog.h"

namespace warden::posture {
namespace {

const Timestamp kThen = std::chrono::sys_days(std::chrono::year{2026} / 12 / 1);
const Timestamp kNow = kThen + std::chrono::hours(24);

Finding Fresh(std::string_view rule, std::string subject,
              std::string severity = "medium") {
  Finding f;
  f.rule = rule;
  f.severity = std::move(severity);
  f.subject_key = subject;
  f.identity_id = subject;
  f.subject = "name-" + subject;
  f.owner = "team";
  f.evidence = {{"n", 1}};
  return f;
}

FindingRecord Stored(const Finding& f, std::string state) {
  FindingRecord r = NewRecord(f, "id-" + f.subject_key, kThen);
  r.state = std::move(state);
  return r;
}

bool Managed(std::string_view rule) { return rule != kReviewOverdue; }

FindingChanges ReconcileAll(const std::vector<Finding>& fresh,
                            const std::vector<FindingRecord>& stored) {
  int n = 0;
  return Reconcile(
      fresh, stored, &Managed, [&n] { return "new-" + std::to_string(++n); },
      kNow);
}

TEST(FindingReconcilerTest, NewFindingsOpenWithTheCatalogMappings) {
  FindingChanges c = ReconcileAll({Fresh(kSecretRotationOverdue, "a")}, {});
  ASSERT_EQ(c.inserts.size(), 1u);
  EXPECT_EQ(c.opened, 1);
  const FindingRecord& r = c.inserts[0];
  EXPECT_EQ(r.state, "open");
  EXPECT_EQ(r.owasp, "NHI7");
  EXPECT_EQ(r.csf, std::vector<std::string>{"PR.AA-01"});
  EXPECT_EQ(r.fingerprint, "secret-rotation-overdue|a");
  EXPECT_FALSE(r.remediation.empty());
}

TEST(FindingReconcilerTest, UnchangedFindingsWriteNothing) {
  const Finding f = Fresh(kUnused, "a");
  FindingChanges c = ReconcileAll({f}, {Stored(f, "open")});
  EXPECT_TRUE(c.inserts.empty());
  EXPECT_TRUE(c.updates.empty());
}

TEST(FindingReconcilerTest, ChangedEvidenceUpdatesAndBumpsTheVersion) {
  Finding f = Fresh(kUnused, "a");
  const FindingRecord stored = Stored(f, "acknowledged");
  f.severity = "high";
  FindingChanges c = ReconcileAll({f}, {stored});
  ASSERT_EQ(c.updates.size(), 1u);
  EXPECT_EQ(c.updates[0].severity, "high");
  EXPECT_EQ(c.updates[0].state, "acknowledged");
  EXPECT_EQ(c.updates[0].version, stored.version + 1);
}

TEST(FindingReconcilerTest, ClearedFindingsResolveAndComeBackReopened) {
  const Finding f = Fresh(kUnused, "a");
  FindingChanges cleared = ReconcileAll({}, {Stored(f, "open")});
  ASSERT_EQ(cleared.updates.size(), 1u);
  EXPECT_EQ(cleared.updates[0].state, "resolved");
  EXPECT_EQ(cleared.resolved, 1);
  FindingChanges back = ReconcileAll({f}, {cleared.updates[0]});
  ASSERT_EQ(back.updates.size(), 1u);
  EXPECT_EQ(back.updates[0].state, "open");
  EXPECT_FALSE(back.updates[0].resolved_at.has_value());
  EXPECT_EQ(back.reopened, 1);
}

TEST(FindingReconcilerTest, LapsedAcknowledgementReopens) {
  const Finding f = Fresh(kUnused, "a");
  FindingRecord acked = Stored(f, "acknowledged");
  acked.ack_expires_at = kNow - std::chrono::hours(1);
  FindingChanges c = ReconcileAll({f}, {acked});
  ASSERT_EQ(c.updates.size(), 1u);
  EXPECT_EQ(c.updates[0].state, "open");
}

TEST(FindingReconcilerTest, FindingsOfOtherOwnersAreLeftAlone) {
  const Finding overdue = Fresh(kReviewOverdue, "a/review/c1");
  FindingChanges c = ReconcileAll({}, {Stored(overdue, "open")});
  EXPECT_TRUE(c.updates.empty());
}

}  // namespace
}  // namespace warden::posture
