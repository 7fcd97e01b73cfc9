#include "audit/audit_sink_spec.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

using namespace std::chrono_literals;

AuditSinkSpec Parsed(const std::string& text) {
  Result<AuditSinkSpec> spec = ParseAuditSinkSpec(text);
  EXPECT_TRUE(spec.ok()) << text << ": " << spec.status().ToString();
  return spec.ok() ? *spec : AuditSinkSpec{};
}

std::string Error(const std::string& text) {
  Result<AuditSinkSpec> spec = ParseAuditSinkSpec(text);
  EXPECT_FALSE(spec.ok()) << text;
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  return spec.status().message();
}

TEST(AuditSinkSpecTest, FileWithRotation) {
  AuditSinkSpec spec = Parsed(
      "local=file:///var/log/warden/audit.jsonl?max_bytes=100M&max_age=1d");
  EXPECT_EQ(spec.name, "local");
  EXPECT_EQ(spec.kind, AuditSinkKind::kFile);
  EXPECT_EQ(spec.path, "/var/log/warden/audit.jsonl");
  EXPECT_EQ(spec.max_bytes, 100u << 20);
  EXPECT_EQ(spec.max_age, 24h);
  EXPECT_EQ(spec.EffectiveBatch(), 1000);
}

TEST(AuditSinkSpecTest, FilePathIsPercentDecoded) {
  EXPECT_EQ(Parsed("f=file:///tmp/a%20b.jsonl").path, "/tmp/a b.jsonl");
  EXPECT_EQ(Parsed("f=file://localhost/tmp/x.jsonl").path, "/tmp/x.jsonl");
}

TEST(AuditSinkSpecTest, SyslogTcpAndUdp) {
  AuditSinkSpec tcp = Parsed(
      "siem=syslog+tcp://127.0.0.1:6514?facility=local3&app_name=warden-eu"
      "&batch=50");
  EXPECT_EQ(tcp.kind, AuditSinkKind::kSyslogTcp);
  EXPECT_EQ(tcp.host, "127.0.0.1");
  EXPECT_EQ(tcp.port, 6514);
  EXPECT_EQ(tcp.facility, 19);
  EXPECT_EQ(tcp.app_name, "warden-eu");
  EXPECT_EQ(tcp.batch, 50);
  AuditSinkSpec udp =
      Parsed("u=syslog+udp://[::1]?max_datagram=8192&facility=4");
  EXPECT_EQ(udp.kind, AuditSinkKind::kSyslogUdp);
  EXPECT_EQ(udp.host, "::1");
  EXPECT_EQ(udp.port, 514);
  EXPECT_EQ(udp.max_datagram, 8192);
  EXPECT_EQ(udp.facility, 4);
  EXPECT_EQ(Parsed("t=syslog+tcp://collector.example").port, 601);
}

TEST(AuditSinkSpecTest, WebhookKeepsItsUrlAndReadsTheFragment) {
  AuditSinkSpec spec =
      Parsed("hook=https://siem.example/ingest?tenant=a#batch=20&timeout=30s");
  EXPECT_EQ(spec.kind, AuditSinkKind::kWebhook);
  EXPECT_EQ(spec.url, "https://siem.example/ingest?tenant=a");
  EXPECT_EQ(spec.batch, 20);
  EXPECT_EQ(spec.timeout, 30s);
  EXPECT_EQ(Parsed("h=http://127.0.0.1:9000/a").url, "http://127.0.0.1:9000/a");
}

TEST(AuditSinkSpecTest, MistakesAreNamed) {
  EXPECT_NE(Error("=file:///x").find("1 to 64"), std::string::npos);
  EXPECT_NE(Error("noequals").find("NAME=VALUE"), std::string::npos);
  EXPECT_NE(Error("bad name=file:///x").find("may only hold"),
            std::string::npos);
  EXPECT_NE(Error("a=ftp://x").find("unknown scheme 'ftp'"), std::string::npos);
  std::string typo = Error("a=file:///x.jsonl?max_byte=1M");
  EXPECT_NE(typo.find("audit sink 'a'"), std::string::npos) << typo;
  EXPECT_NE(typo.find("unknown parameter 'max_byte'"), std::string::npos);
  EXPECT_NE(typo.find("max_bytes"), std::string::npos);
  EXPECT_NE(Error("a=file:///x?max_bytes=12").find("at least 4096"),
            std::string::npos);
  EXPECT_NE(Error("a=file:///x?max_age=soon").find("max_age=soon"),
            std::string::npos);
  EXPECT_NE(Error("a=file:relative.jsonl").find("absolute"), std::string::npos);
  EXPECT_NE(Error("a=file://host/x").find("only local files"),
            std::string::npos);
  EXPECT_NE(Error("a=syslog+tcp://h:0").find("1 to 65535"), std::string::npos);
  EXPECT_NE(Error("a=syslog+tcp://h:1/path").find("has a path"),
            std::string::npos);
  EXPECT_NE(Error("a=syslog+udp://h?facility=kernel").find("facility"),
            std::string::npos);
  EXPECT_NE(Error("a=syslog+tcp://h?max_datagram=900").find("unknown"),
            std::string::npos);
  EXPECT_NE(Error("a=syslog+udp://h?max_datagram=100").find("480"),
            std::string::npos);
  EXPECT_NE(Error("a=syslog+tcp://h?sd_id=a%20b").find("sd_id"),
            std::string::npos);
  EXPECT_NE(Error("a=syslog+tcp://h?batch=0").find("batch=0"),
            std::string::npos);
  EXPECT_NE(Error("a=syslog+tcp://h?batch=1&batch=2").find("twice"),
            std::string::npos);
  EXPECT_NE(Error("a=http://siem.example/x").find("loopback"),
            std::string::npos);
  EXPECT_NE(Error("a=https://siem.example/x#batch=1&nope=2").find("nope"),
            std::string::npos);
}

TEST(AuditSinkSpecTest, AWebhookUrlIsNeverRepeatedInAnError) {
  std::string message = Error("a=https://[bad/?token=s3cret");
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
}

TEST(AuditSinkSpecTest, NamedValues) {
  auto named = ParseNamedValue("hook=/etc/warden/hook.key");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->first, "hook");
  EXPECT_EQ(named->second, "/etc/warden/hook.key");
  EXPECT_FALSE(ParseNamedValue("hook=").ok());
  EXPECT_FALSE(ParseNamedValue("=x").ok());
  EXPECT_FALSE(ParseNamedValue(std::string(65, 'a') + "=x").ok());
}

}  // namespace
}  // namespace warden
