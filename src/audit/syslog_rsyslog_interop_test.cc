// Interoperability: the syslog sink against rsyslog, a collector written by
// others (Debian's rsyslogd, started in the foreground for the test): its
// imtcp input takes RFC 6587 octet-counted frames, imudp one message per
// datagram, and its RFC 5424 parser must find every header field, the
// structured data with the chain, and the record as the message. Skipped
// (with the reason) where rsyslogd is not installed; scripts/install-deps.sh
// installs it.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "audit/audit_sink_test_receivers.h"
#include "audit/syslog_audit_sink.h"

extern char** environ;

namespace warden {
namespace {

using namespace std::chrono_literals;

constexpr char kRsyslogd[] = "/usr/sbin/rsyslogd";

AuditRecord Record(int64_t sequence) {
  AuditRecord record;
  record.sequence = sequence;
  record.event.time = FromMicros(1'765'100'000'000'000 + sequence);
  record.event.actor = "root";
  record.event.action = "identity.create";
  record.event.target = "identity/" + std::to_string(sequence);
  record.event.outcome = "ok";
  record.event.details = "{\"name\":\"payments-ci\"}";
  record.prev_hash = "p" + std::to_string(sequence);
  record.hash = "h" + std::to_string(sequence);
  return record;
}

// One line rsyslog wrote: the fields its parser found.
struct Parsed {
  std::string pri, hostname, app_name, msgid, structured_data, msg;
};

std::vector<Parsed> ReadOutput(const std::string& path) {
  std::vector<Parsed> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (int i = 0; i < 5; ++i) {
      const size_t bar = line.find('|', start);
      if (bar == std::string::npos) break;
      parts.push_back(line.substr(start, bar - start));
      start = bar + 1;
    }
    if (parts.size() != 5) continue;
    std::string msg = line.substr(start);
    if (msg.starts_with("\xEF\xBB\xBF")) msg.erase(0, 3);
    out.push_back({parts[0], parts[1], parts[2], parts[3], parts[4], msg});
  }
  return out;
}

class RsyslogInteropTest : public testing::Test {
 protected:
  void SetUp() override {
    if (::access(kRsyslogd, X_OK) != 0) {
      GTEST_SKIP() << kRsyslogd << " not installed (scripts/install-deps.sh)";
    }
    std::string pattern = testing::TempDir() + "warden-rsyslog-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    tcp_port_ = testing_sinks::ClosedPort();
    udp_port_ = testing_sinks::ClosedPort();
    const std::string config = dir_ + "/rsyslog.conf";
    std::ofstream(config)
        << "global(workDirectory=\"" << dir_ << "\")\n"
        << "module(load=\"imtcp\")\nmodule(load=\"imudp\")\n"
        << "template(name=\"fields\" type=\"string\" string=\"%pri%|"
           "%hostname%|%app-name%|%msgid%|%structured-data%|%msg%\\n\")\n"
        << "ruleset(name=\"audit\") {\n"
        << "  if $inputname == \"imtcp\" then action(type=\"omfile\" file=\""
        << dir_ << "/tcp.log\" template=\"fields\")\n"
        << "  else action(type=\"omfile\" file=\"" << dir_
        << "/udp.log\" template=\"fields\")\n}\n"
        << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << tcp_port_
        << "\" ruleset=\"audit\")\n"
        << "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" << udp_port_
        << "\" ruleset=\"audit\")\n";
    const std::string pid_file = dir_ + "/rsyslogd.pid";
    std::vector<std::string> args = {kRsyslogd, "-n", "-f",
                                     config,    "-i", pid_file};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ASSERT_EQ(
        ::posix_spawn(&pid_, kRsyslogd, nullptr, nullptr, argv.data(), environ),
        0);
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // rsyslog needs a moment to listen: retry the first batch until then.
  static Status DeliverWhenUp(SyslogAuditSink& sink,
                              const std::vector<AuditRecord>& batch) {
    Status status = Unavailable("not tried");
    for (int i = 0; i < 100 && !status.ok(); ++i) {
      status = sink.Deliver(batch);
      if (!status.ok()) std::this_thread::sleep_for(50ms);
    }
    return status;
  }

  std::vector<Parsed> WaitForLines(const std::string& file, size_t count) {
    std::vector<Parsed> lines;
    for (int i = 0; i < 200; ++i) {
      lines = ReadOutput(dir_ + "/" + file);
      if (lines.size() >= count) break;
      std::this_thread::sleep_for(50ms);
    }
    return lines;
  }

  static void ExpectRecord(const Parsed& line, int64_t sequence) {
    EXPECT_EQ(line.pri, std::to_string(13 * 8 + 5));
    EXPECT_EQ(line.hostname, "warden-interop");
    EXPECT_EQ(line.app_name, "warden");
    EXPECT_EQ(line.msgid, "identity.create");
    const std::string seq = std::to_string(sequence);
    EXPECT_EQ(line.structured_data, "[audit@32473 seq=\"" + seq +
                                        "\" hash=\"h" + seq +
                                        "\" prev_hash=\"p" + seq + "\"]");
    EXPECT_EQ(boost::json::parse(line.msg).at("sequence").as_int64(), sequence)
        << line.msg;
  }

  AuditSinkSpec Spec(AuditSinkKind kind, uint16_t port) {
    AuditSinkSpec spec;
    spec.name = "rsyslog";
    spec.kind = kind;
    spec.host = "127.0.0.1";
    spec.port = port;
    spec.hostname = "warden-interop";
    return spec;
  }

  std::string dir_;
  uint16_t tcp_port_ = 0;
  uint16_t udp_port_ = 0;
  pid_t pid_ = 0;
};

TEST_F(RsyslogInteropTest, RsyslogParsesOctetCountedTcpAndUdp) {
  SyslogAuditSink tcp(Spec(AuditSinkKind::kSyslogTcp, tcp_port_), 2s);
  std::vector<AuditRecord> batch;
  for (int64_t s = 1; s <= 50; ++s) batch.push_back(Record(s));
  ASSERT_TRUE(DeliverWhenUp(tcp, batch).ok());
  std::vector<Parsed> tcp_lines = WaitForLines("tcp.log", 50);
  ASSERT_EQ(tcp_lines.size(), 50u);
  for (size_t i = 0; i < tcp_lines.size(); ++i) {
    ExpectRecord(tcp_lines[i], static_cast<int64_t>(i + 1));
  }

  SyslogAuditSink udp(Spec(AuditSinkKind::kSyslogUdp, udp_port_), 2s);
  std::vector<AuditRecord> one = {Record(51)};
  ASSERT_TRUE(udp.Deliver(one).ok());
  std::vector<Parsed> udp_lines = WaitForLines("udp.log", 1);
  ASSERT_EQ(udp_lines.size(), 1u);
  ExpectRecord(udp_lines[0], 51);
}

}  // namespace
}  // namespace warden
