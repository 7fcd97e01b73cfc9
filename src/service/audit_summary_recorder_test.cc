#include "service/audit_summary_recorder.h"

#include <gtest/gtest.h>

#include "service/service_test_env.h"

namespace warden {
namespace {

class AuditSummaryRecorderTest : public ServiceTestEnv {
 protected:
  Caller Client(const std::string& id, const std::string& request) {
    Caller caller = As(Role::kSdk, "client:" + id);
    caller.request_id = request;
    return caller;
  }
};

TEST_F(AuditSummaryRecorderTest, OneRecordPerKeyWithCountsAndNoWriteBefore) {
  AuditSummaryRecorder summaries(*store_, *auditor_, {});
  const size_t before = AuditCount();
  summaries.Note(Client("a", "r1"), "oauth.token.introspect", "tokens", "ok",
                 "active");
  summaries.Note(Client("a", "r2"), "oauth.token.introspect", "tokens", "ok",
                 "inactive");
  summaries.Note(Client("a", "r3"), "oauth.token.introspect", "tokens", "ok",
                 "active");
  summaries.Note(Client("b", "r4"), "oauth.token.introspect", "tokens", "ok",
                 "active");
  // Noting writes nothing: the hot path never waits for the store.
  EXPECT_EQ(AuditCount(), before);
  ASSERT_TRUE(summaries.Flush().ok());
  std::vector<AuditRecord> log = AuditLog();
  ASSERT_EQ(log.size(), before + 2);
  for (size_t i = before; i < log.size(); ++i) {
    const AuditRecord& record = log[i];
    EXPECT_EQ(record.event.action, "oauth.token.introspect");
    EXPECT_EQ(record.event.outcome, "ok");
    boost::json::object details = Details(record);
    EXPECT_EQ(details.at("summary"), true);
    if (record.event.actor == "client:a") {
      EXPECT_EQ(details.at("count").to_number<int>(), 3);
      EXPECT_EQ(details.at("counts").at("active").to_number<int>(), 2);
      EXPECT_EQ(details.at("counts").at("inactive").to_number<int>(), 1);
      EXPECT_EQ(details.at("request_id"), "r3");  // the last one's
    } else {
      EXPECT_EQ(record.event.actor, "client:b");
      EXPECT_EQ(details.at("count").to_number<int>(), 1);
    }
  }
  // Nothing pending: a second flush writes nothing.
  ASSERT_TRUE(summaries.Flush().ok());
  EXPECT_EQ(AuditCount(), before + 2);
}

TEST_F(AuditSummaryRecorderTest, ManyCallersFoldIntoOneOverflowRecord) {
  AuditSummaryRecorder summaries(*store_, *auditor_, {}, /*max_keys=*/2);
  for (int i = 0; i < 50; ++i) {
    summaries.Note(Client(std::to_string(i), "r"), "auth.throttled",
                   "source:" + std::to_string(i), "resource_exhausted");
  }
  EXPECT_EQ(summaries.pending(), 3u);  // two callers and the overflow
  const size_t before = AuditCount();
  ASSERT_TRUE(summaries.Flush().ok());
  std::vector<AuditRecord> log = AuditLog();
  ASSERT_EQ(log.size(), before + 3);
  int total = 0;
  for (size_t i = before; i < log.size(); ++i) {
    total += Details(log[i]).at("count").to_number<int>();
    if (log[i].event.target == "(various)") {
      EXPECT_EQ(log[i].event.actor, "(various)");
      EXPECT_EQ(Details(log[i]).at("count").to_number<int>(), 48);
    }
  }
  EXPECT_EQ(total, 50);  // no decision goes uncounted
}

TEST_F(AuditSummaryRecorderTest, StopFlushes) {
  {
    AuditSummaryRecorder summaries(*store_, *auditor_, std::chrono::hours(1));
    summaries.Note(Client("a", "r"), "oauth.token.introspect", "tokens", "ok");
    summaries.Stop();
    EXPECT_EQ(summaries.pending(), 0u);
  }
  EXPECT_EQ(LastAudit().event.action, "oauth.token.introspect");
}

}  // namespace
}  // namespace warden
