// The syslog sink against real collectors on loopback.
#include "audit/syslog_audit_sink.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <vector>

#include "audit/audit_sink_test_receivers.h"

namespace warden {
namespace {

using namespace std::chrono_literals;
using testing_sinks::Received;
using testing_sinks::SyslogReceiver;

AuditRecord Record(int64_t sequence) {
  AuditRecord record;
  record.sequence = sequence;
  record.event.time = FromMicros(1'765'100'000'000'000 + sequence);
  record.event.actor = "root";
  record.event.action = "test.event";
  record.event.target = "thing/" + std::to_string(sequence);
  record.event.outcome = "ok";
  record.event.details = "{\"pad\":\"" + std::string(200, 'p') + "\"}";
  record.prev_hash = "prev-" + std::to_string(sequence);
  record.hash = "hash-" + std::to_string(sequence);
  return record;
}

std::vector<AuditRecord> Records(int64_t first, int64_t last) {
  std::vector<AuditRecord> out;
  for (int64_t s = first; s <= last; ++s) out.push_back(Record(s));
  return out;
}

AuditSinkSpec Spec(AuditSinkKind kind, uint16_t port) {
  AuditSinkSpec spec;
  spec.name = "siem";
  spec.kind = kind;
  spec.host = "127.0.0.1";
  spec.port = port;
  spec.hostname = "warden-test";
  return spec;
}

bool HasAll(const Received& got, int64_t last) {
  return static_cast<int64_t>(got.sequences().size()) >= last;
}

TEST(SyslogAuditSinkTest, TcpFramesParseAsRfc5424WithTheChain) {
  SyslogReceiver receiver(/*udp=*/false);
  ASSERT_TRUE(receiver.ok());
  SyslogAuditSink sink(Spec(AuditSinkKind::kSyslogTcp, receiver.port()), 2s);
  ASSERT_TRUE(sink.Deliver(Records(1, 300)).ok());
  ASSERT_TRUE(sink.Deliver(Records(301, 310)).ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return HasAll(got, 310); }));
  EXPECT_EQ(receiver.unparsed(), 0);
  EXPECT_EQ(receiver.connections(), 1);  // one connection, kept
  std::vector<testing_sinks::SyslogMessage> messages =
      receiver.received().messages();
  for (size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    const int64_t seq = static_cast<int64_t>(i + 1);
    EXPECT_EQ(m.hostname, "warden-test");
    EXPECT_EQ(m.app_name, "warden");
    EXPECT_EQ(m.msgid, "test.event");
    EXPECT_EQ(m.params.at("seq"), std::to_string(seq));
    EXPECT_EQ(m.params.at("hash"), "hash-" + std::to_string(seq));
    EXPECT_EQ(m.params.at("prev_hash"), "prev-" + std::to_string(seq));
    EXPECT_EQ(boost::json::parse(m.msg).at("sequence").as_int64(), seq);
  }
}

TEST(SyslogAuditSinkTest, TcpToAClosedPortFailsAndRecoversWhenItOpens) {
  const uint16_t port = testing_sinks::ClosedPort();
  SyslogAuditSink sink(Spec(AuditSinkKind::kSyslogTcp, port), 1s);
  const Status down = sink.Deliver(Records(1, 1));
  EXPECT_EQ(down.code(), StatusCode::kUnavailable);
  EXPECT_NE(down.message().find(std::to_string(port)), std::string::npos);
  SyslogReceiver receiver(/*udp=*/false, port);
  ASSERT_TRUE(receiver.ok());
  ASSERT_TRUE(sink.Deliver(Records(1, 5)).ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return HasAll(got, 5); }));
}

TEST(SyslogAuditSinkTest, TcpReconnectsAfterTheCollectorRestarts) {
  uint16_t port = 0;
  auto sink = std::unique_ptr<SyslogAuditSink>();
  {
    SyslogReceiver first(/*udp=*/false);
    ASSERT_TRUE(first.ok());
    port = first.port();
    sink = std::make_unique<SyslogAuditSink>(
        Spec(AuditSinkKind::kSyslogTcp, port), 1s);
    ASSERT_TRUE(sink->Deliver(Records(1, 3)).ok());
    ASSERT_TRUE(first.received().WaitFor(
        [](const Received& got) { return HasAll(got, 3); }));
  }  // the collector goes away, closing the connection
  SyslogReceiver second(/*udp=*/false, port);
  ASSERT_TRUE(second.ok());
  // The first attempt may fail on the dead connection; a retry must not.
  Status delivered = sink->Deliver(Records(4, 6));
  if (!delivered.ok()) delivered = sink->Deliver(Records(4, 6));
  ASSERT_TRUE(delivered.ok()) << delivered.ToString();
  ASSERT_TRUE(second.received().WaitFor([](const Received& got) {
    return got.sequences() == std::set<int64_t>{4, 5, 6};
  }));
}

TEST(SyslogAuditSinkTest, UdpSendsOneMessagePerDatagram) {
  SyslogReceiver receiver(/*udp=*/true);
  ASSERT_TRUE(receiver.ok());
  SyslogAuditSink sink(Spec(AuditSinkKind::kSyslogUdp, receiver.port()), 1s);
  ASSERT_TRUE(sink.Deliver(Records(1, 20)).ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return HasAll(got, 20); }));
  for (const auto& m : receiver.received().messages()) {
    EXPECT_EQ(m.sd_id, "audit@32473");
    EXPECT_EQ(m.params.count("truncated"), 0u);
    EXPECT_TRUE(boost::json::parse(m.msg).is_object());
  }
}

TEST(SyslogAuditSinkTest, UdpTruncatesPastMaxDatagram) {
  SyslogReceiver receiver(/*udp=*/true);
  ASSERT_TRUE(receiver.ok());
  AuditSinkSpec spec = Spec(AuditSinkKind::kSyslogUdp, receiver.port());
  spec.max_datagram = 480;
  SyslogAuditSink sink(spec, 1s);
  ASSERT_TRUE(sink.Deliver(Records(1, 1)).ok());
  ASSERT_TRUE(receiver.received().WaitFor(
      [](const Received& got) { return HasAll(got, 1); }));
  EXPECT_LE(receiver.received().raw()[0].size(), 480u);
  EXPECT_EQ(receiver.received().messages()[0].params.at("truncated"), "1");
}

}  // namespace
}  // namespace warden
