#include "audit/syslog_message.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "audit/audit_sink_test_receivers.h"

namespace warden {
namespace {

AuditRecord Record(int64_t sequence, std::string outcome = "ok") {
  AuditRecord record;
  record.sequence = sequence;
  record.event.time = FromMicros(1'765'100'000'123'456);
  record.event.actor = "api_token/abc";
  record.event.action = "identity.create";
  record.event.target = "identity/x";
  record.event.outcome = std::move(outcome);
  record.event.details = "{\"name\":\"payments-\\\"ci\\\"]\"}";
  record.prev_hash = std::string(64, 'a');
  record.hash = std::string(64, 'b');
  record.format = AuditHashFormat::kHmacSha256;
  return record;
}

SyslogHeader Header() {
  SyslogHeader header;
  header.facility = 13;
  header.hostname = "warden-1.example";
  header.procid = "4242";
  return header;
}

TEST(SyslogMessageTest, FollowsRfc5424WithTheChainInStructuredData) {
  const std::string text = FormatSyslogMessage(Record(7), Header());
  auto m = testing_sinks::ParseSyslog(text);
  ASSERT_TRUE(m.has_value()) << text;
  EXPECT_EQ(m->pri, 13 * 8 + 5);  // log audit, notice
  EXPECT_EQ(m->timestamp, "2025-12-07T09:33:20.123456Z");
  EXPECT_EQ(m->hostname, "warden-1.example");
  EXPECT_EQ(m->app_name, "warden");
  EXPECT_EQ(m->procid, "4242");
  EXPECT_EQ(m->msgid, "identity.create");
  EXPECT_EQ(m->sd_id, "audit@32473");
  EXPECT_EQ(m->params["seq"], "7");
  EXPECT_EQ(m->params["hash"], std::string(64, 'b'));
  EXPECT_EQ(m->params["prev_hash"], std::string(64, 'a'));
  EXPECT_EQ(m->params.count("truncated"), 0u);
  EXPECT_TRUE(m->bom);
  boost::json::value json = boost::json::parse(m->msg);
  EXPECT_EQ(json.at("sequence").as_int64(), 7);
  EXPECT_EQ(json.at("hash").as_string(), std::string(64, 'b'));
  EXPECT_EQ(json.at("details").at("name").as_string(), "payments-\"ci\"]");
}

TEST(SyslogMessageTest, DenialsAreWarnings) {
  auto m = testing_sinks::ParseSyslog(
      FormatSyslogMessage(Record(1, "deny"), Header()));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->pri, 13 * 8 + 4);
}

TEST(SyslogMessageTest, HeaderFieldsStayPrintableAscii) {
  AuditRecord record = Record(1);
  record.event.action = "a b\x01" + std::string(40, 'x');
  SyslogHeader header = Header();
  header.hostname = "";
  auto m = testing_sinks::ParseSyslog(FormatSyslogMessage(record, header));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->hostname, "-");
  EXPECT_EQ(m->msgid.size(), 32u);
  EXPECT_EQ(m->msgid.substr(0, 3), "abx");
}

TEST(SyslogMessageTest, SdValuesAreEscaped) {
  EXPECT_EQ(EscapeSdParamValue("a\"b\\c]d"), "a\\\"b\\\\c\\]d");
}

TEST(SyslogMessageTest, TruncationKeepsTheChainAndSaysSo) {
  AuditRecord record = Record(3);
  record.event.details = "{\"note\":\"" + std::string(3000, 'x') + "\u00e9\"}";
  const std::string text = FormatSyslogMessage(record, Header(), 1000);
  EXPECT_LE(text.size(), 1000u);
  auto m = testing_sinks::ParseSyslog(text);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->params["truncated"], "1");
  EXPECT_EQ(m->params["seq"], "3");
  EXPECT_EQ(m->params["hash"], std::string(64, 'b'));
}

TEST(SyslogMessageTest, TruncationNeverSplitsAUtf8Character) {
  AuditRecord record = Record(3);
  std::string text_value;  // two-byte characters only
  for (int i = 0; i < 1000; ++i) text_value += "\xC3\xA9";
  record.event.details = "{\"n\":\"" + text_value + "\"}";
  for (size_t limit = 600; limit < 620; ++limit) {
    const std::string text = FormatSyslogMessage(record, Header(), limit);
    ASSERT_LE(text.size(), limit);
    const size_t quote = text.rfind('"');
    ASSERT_NE(quote, std::string::npos);
    const std::string tail = text.substr(quote + 1);
    EXPECT_EQ(tail.size() % 2, 0u) << limit;
  }
}

TEST(SyslogMessageTest, OctetCountingFrame) {
  std::string out;
  AppendOctetCountedFrame("<14>1 - - - - - -", out);
  AppendOctetCountedFrame("\xC3\xA9", out);
  EXPECT_EQ(out, "17 <14>1 - - - - - -2 \xC3\xA9");
  std::string buffer = out;
  auto frames = testing_sinks::TakeFrames(buffer);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1], "\xC3\xA9");
  EXPECT_TRUE(buffer.empty());
}

}  // namespace
}  // namespace warden
