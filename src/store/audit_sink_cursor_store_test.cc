// The Store contract for the audit sinks' delivery cursors and leases,
// run against every implementation.
#include <gtest/gtest.h>

#include <string>

#include "store/store.h"
#include "store/store_test_fixture.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = kStoreTestT0;

using AuditSinkCursorStoreTest = StoreContractTest;

TEST_P(AuditSinkCursorStoreTest, FirstAcquireCreatesTheCursorAtZero) {
  AuditSinkCursor cursor;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                auto got = tx.audit_sink_cursors().Acquire(
                    "siem", "replica-a", kT0, kT0 + 30s, false);
                if (!got.ok()) return got.status();
                cursor = *got;
                return Status::Ok();
              }).ok());
  EXPECT_EQ(cursor.sink, "siem");
  EXPECT_EQ(cursor.holder, "replica-a");
  EXPECT_EQ(cursor.delivered_sequence, 0);
  EXPECT_EQ(cursor.lease_expires_at, kT0 + 30s);
}

TEST_P(AuditSinkCursorStoreTest, LeaseExcludesOthersUntilItExpires) {
  auto acquire = [&](const std::string& holder, Timestamp now, bool steal) {
    AuditSinkCursor cursor;
    EXPECT_TRUE(Write([&](Transaction& tx) {
                  auto got = tx.audit_sink_cursors().Acquire(
                      "siem", holder, now, now + 30s, steal);
                  if (!got.ok()) return got.status();
                  cursor = *got;
                  return Status::Ok();
                }).ok());
    return cursor.holder;
  };
  EXPECT_EQ(acquire("a", kT0, false), "a");
  EXPECT_EQ(acquire("b", kT0 + 10s, false), "a");  // a's lease runs
  EXPECT_EQ(acquire("a", kT0 + 20s, false), "a");  // renewed to +50s
  EXPECT_EQ(acquire("b", kT0 + 40s, false), "a");
  EXPECT_EQ(acquire("b", kT0 + 50s, false), "b");  // expired: taken over
  EXPECT_EQ(acquire("c", kT0 + 51s, true), "c");   // stolen
}

TEST_P(AuditSinkCursorStoreTest, OnlyTheHolderAdvancesAndNeverBackwards) {
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.audit_sink_cursors()
                    .Acquire("siem", "a", kT0, kT0 + 30s, false)
                    .status();
              }).ok());
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.audit_sink_cursors().Advance("siem", "a", 10,
                                                       kT0 + 1s, kT0 + 31s);
              }).ok());
  Status lost = Write([&](Transaction& tx) {
    return tx.audit_sink_cursors().Advance("siem", "b", 20, kT0 + 2s,
                                           kT0 + 32s);
  });
  EXPECT_EQ(lost.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(lost.problem(), "audit-sink-lease-lost");
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.audit_sink_cursors().Advance("siem", "a", 5, kT0 + 3s,
                                                       kT0 + 33s);
              }).ok());
  auto cursors = ReadValue<std::vector<AuditSinkCursor>>(
      [](Transaction& tx) { return tx.audit_sink_cursors().List(); });
  ASSERT_EQ(cursors.size(), 1u);
  EXPECT_EQ(cursors[0].delivered_sequence, 10);
  EXPECT_EQ(cursors[0].updated_at, kT0 + 3s);
  EXPECT_EQ(cursors[0].lease_expires_at, kT0 + 33s);
}

TEST_P(AuditSinkCursorStoreTest, ReleaseLetsTheNextProcessInAtOnce) {
  auto holder_after = [&](const std::string& holder, Timestamp now) {
    std::string got_holder;
    EXPECT_TRUE(Write([&](Transaction& tx) {
                  auto got = tx.audit_sink_cursors().Acquire(
                      "siem", holder, now, now + 30s, false);
                  if (!got.ok()) return got.status();
                  got_holder = got->holder;
                  return Status::Ok();
                }).ok());
    return got_holder;
  };
  EXPECT_EQ(holder_after("a", kT0), "a");
  // Not the holder: no effect.
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.audit_sink_cursors().Release("siem", "b", kT0 + 1s);
              }).ok());
  EXPECT_EQ(holder_after("b", kT0 + 2s), "a");
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.audit_sink_cursors().Release("siem", "a", kT0 + 3s);
              }).ok());
  EXPECT_EQ(holder_after("b", kT0 + 3s), "b");
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditSinkCursorStoreTest,
                         testing::ValuesIn(StoreImplementations()),
                         StoreImplementationName);

}  // namespace
}  // namespace warden
