// The streamer on a real SQLite store, delivering to real collectors on
// loopback: cursors, restarts, dead sinks and leases.
#include "audit/audit_sink_streamer.h"

#include <gtest/gtest.h>

#include "audit/audit_sink_test_receivers.h"
#include "audit/audit_test_env.h"
#include "audit/syslog_audit_sink.h"
#include "store/sqlite/fault_injector.h"

namespace warden {
namespace {

using namespace std::chrono_literals;
using testing_sinks::Received;
using testing_sinks::SyslogReceiver;

class AuditSinkStreamerTest : public AuditTestEnv {
 protected:
  void SetUp() override {
    AuditTestEnv::SetUp();
    OpenStore(std::nullopt);
  }

  static AuditSinkStreamerOptions FastOptions(std::string holder,
                                              bool exclusive = true) {
    AuditSinkStreamerOptions options;
    options.holder = std::move(holder);
    options.exclusive = exclusive;
    options.lease = 2s;
    options.poll = 20ms;
    options.first_backoff = 20ms;
    options.max_backoff = 100ms;
    return options;
  }

  std::unique_ptr<AuditSinkStreamer> Streamer(uint16_t port,
                                              AuditSinkStreamerOptions options,
                                              int batch = 7) {
    auto streamer =
        std::make_unique<AuditSinkStreamer>(*store_, clock_, options);
    AuditSinkSpec spec;
    spec.name = "siem";
    spec.kind = AuditSinkKind::kSyslogTcp;
    spec.host = "127.0.0.1";
    spec.port = port;
    streamer->Add("siem", "syslog+tcp",
                  std::make_unique<SyslogAuditSink>(spec, 1s), batch);
    return streamer;
  }

  AuditSinkStatus StatusOf(const AuditSinkStreamer& streamer) {
    return streamer.Statuses().at(0);
  }

  static bool Contiguous(const Received& got, int64_t last) {
    const std::set<int64_t> seen = got.sequences();
    return static_cast<int64_t>(seen.size()) == last && *seen.begin() == 1 &&
           *seen.rbegin() == last;
  }

  static bool WaitUntil(const std::function<bool()>& done,
                        std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return done();
  }

  SystemClock clock_;
  FaultInjector faults_;  // outlives the store, closed by TearDown
};

TEST_F(AuditSinkStreamerTest, DeliversTheBacklogAndWhatComesAfter) {
  ASSERT_TRUE(Append(40).ok());
  SyslogReceiver receiver(false);
  auto streamer = Streamer(receiver.port(), FastOptions("a"));
  streamer->Start();
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return Contiguous(got, 40); }));
  ASSERT_TRUE(Append(15).ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return Contiguous(got, 55); }));
  ASSERT_TRUE(WaitUntil([&] { return StatusOf(*streamer).lag() == 0; }));
  EXPECT_EQ(StatusOf(*streamer).delivered_records, 55);
  EXPECT_TRUE(StatusOf(*streamer).lease_held);
  // Every record is delivered once when nothing fails.
  EXPECT_EQ(receiver.received().messages().size(), 55u);
}

TEST_F(AuditSinkStreamerTest, ARestartResumesAfterTheDurableCursor) {
  SyslogReceiver receiver(false);
  ASSERT_TRUE(Append(30).ok());
  {
    auto first = Streamer(receiver.port(), FastOptions("first"));
    first->Start();
    ASSERT_TRUE(receiver.received().WaitFor(
        [](const Received& got) { return Contiguous(got, 30); }));
    ASSERT_TRUE(Append(10).ok());  // may or may not go out before the stop
    first->Stop();
  }
  ASSERT_TRUE(Append(10).ok());
  auto second = Streamer(receiver.port(), FastOptions("second"));
  second->Start();
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return Contiguous(got, 50); }));
  // Resumed after the cursor: the first 30 were not sent again.
  int64_t early_duplicates = 0;
  std::set<int64_t> seen;
  for (const auto& m : receiver.received().messages()) {
    const int64_t seq = std::stoll(m.params.at("seq"));
    if (!seen.insert(seq).second && seq <= 30) ++early_duplicates;
  }
  EXPECT_EQ(early_duplicates, 0);
}

TEST_F(AuditSinkStreamerTest, ADeadSinkLagsThenDrainsWithoutBlockingWrites) {
  const uint16_t port = testing_sinks::ClosedPort();
  auto streamer = Streamer(port, FastOptions("a"), /*batch=*/50);
  streamer->Start();
  const auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Append(10).ok());
  // Writes do not wait on the sink.
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  ASSERT_TRUE(WaitUntil([&] {
    AuditSinkStatus s = StatusOf(*streamer);
    return s.lag() == 200 && s.failed_deliveries >= 2;
  })) << StatusOf(*streamer).lag();
  SyslogReceiver receiver(false, port);  // the collector comes back
  ASSERT_TRUE(receiver.ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return Contiguous(got, 200); }));
  ASSERT_TRUE(WaitUntil([&] { return StatusOf(*streamer).lag() == 0; }));
}

// The cursor write fails after a delivery (a full disk): the batch goes out
// again, so the collector sees duplicates but every record.
TEST_F(AuditSinkStreamerTest, AFailedCursorWriteRedeliversTheBatch) {
  CloseStore();
  SqliteStoreOptions options;
  options.path = db_path();
  options.faults = &faults_;
  auto opened = OpenSqliteStore(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store_ = std::move(*opened);
  const uint16_t port = testing_sinks::ClosedPort();
  auto streamer = Streamer(port, FastOptions("a"), /*batch=*/7);
  streamer->Start();
  ASSERT_TRUE(Append(20).ok());
  ASSERT_TRUE(WaitUntil([&] {
    const AuditSinkStatus s = StatusOf(*streamer);
    return s.lease_held && s.lag() == 20 && s.failed_deliveries > 0;
  }));
  faults_.SetDiskFull(true);
  SyslogReceiver receiver(false, port);
  ASSERT_TRUE(receiver.ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return got.messages().size() >= 14; }));
  EXPECT_EQ(StatusOf(*streamer).lag(), 20);  // nothing recorded as sent
  faults_.SetDiskFull(false);
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return Contiguous(got, 20); }));
  ASSERT_TRUE(WaitUntil([&] { return StatusOf(*streamer).lag() == 0; }));
  EXPECT_GT(receiver.received().messages().size(), 20u);  // duplicates
  streamer->Stop();
}

TEST_F(AuditSinkStreamerTest, OneReplicaDeliversASinkAtATime) {
  SyslogReceiver receiver(false);
  auto a = Streamer(receiver.port(), FastOptions("replica-a", false));
  auto b = Streamer(receiver.port(), FastOptions("replica-b", false));
  a->Start();
  ASSERT_TRUE(WaitUntil([&] { return StatusOf(*a).lease_held; }));
  b->Start();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Append(10).ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return Contiguous(got, 100); }));
  EXPECT_FALSE(StatusOf(*b).lease_held);
  EXPECT_EQ(StatusOf(*b).delivered_records, 0);
  EXPECT_EQ(receiver.received().messages().size(), 100u);
  // The holder stops: the other takes over once the lease is released.
  a->Stop();
  ASSERT_TRUE(Append(5).ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return Contiguous(got, 105); }));
  EXPECT_TRUE(StatusOf(*b).lease_held);
}

}  // namespace
}  // namespace warden
