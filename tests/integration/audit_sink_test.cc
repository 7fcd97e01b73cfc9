// Audit streaming sinks end to end: a real server with --audit-sink file,
// syslog over TCP and UDP, a signed webhook and a dead collector, every
// receiver real and on loopback. Each must see every committed record,
// across a restart in the middle of the stream, while the dead sink only
// lags (and /metrics says so) without slowing requests.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "audit/audit_sink_test_receivers.h"
#include "server_fixture.h"

namespace warden::testing_http {
namespace {

using namespace std::chrono_literals;
using testing_sinks::Received;
using testing_sinks::SyslogReceiver;
using testing_sinks::WebhookReceiver;
using testing_sinks::WebhookRequest;

const std::string kWebhookKey = "integration-test-webhook-key-0123";

std::set<int64_t> WebhookSequences(const std::vector<WebhookRequest>& got) {
  std::set<int64_t> out;
  for (const WebhookRequest& request : got) {
    boost::json::value body = boost::json::parse(request.body);
    for (const auto& record : body.at("records").as_array()) {
      out.insert(record.at("sequence").as_int64());
    }
  }
  return out;
}

std::set<int64_t> FileSequences(const std::string& path) {
  std::set<int64_t> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    out.insert(boost::json::parse(line).at("sequence").as_int64());
  }
  return out;
}

// Every sequence 1..last present.
bool Complete(const std::set<int64_t>& seen, int64_t last) {
  for (int64_t s = 1; s <= last; ++s) {
    if (!seen.contains(s)) return false;
  }
  return true;
}

bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

std::string Base64(const unsigned char* bytes, size_t size) {
  std::string out(
      sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size,
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

class AuditSinkTest : public ServerFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    file_path_ = data_dir_ + "/audit.jsonl";
    const std::string key_path = data_dir_ + "/hook.key";
    {
      std::ofstream key(key_path);
      key << kWebhookKey << "\n";
    }
    ::chmod(key_path.c_str(), 0600);
    dead_port_ = testing_sinks::ClosedPort();
    const std::vector<std::string> specs = {
        "file=file://" + file_path_ + "?max_bytes=10M",
        "tcp=syslog+tcp://127.0.0.1:" + std::to_string(tcp_.port()) +
            "?hostname=warden-it",
        "udp=syslog+udp://127.0.0.1:" + std::to_string(udp_.port()) +
            "?max_datagram=65000",
        "hook=" + hook_.url() + "#batch=25",
        "dead=syslog+tcp://127.0.0.1:" + std::to_string(dead_port_),
    };
    for (const std::string& text : specs) {
      Result<AuditSinkSpec> spec = ParseAuditSinkSpec(text);
      ASSERT_TRUE(spec.ok()) << spec.status().ToString();
      options.audit_sinks.push_back(*spec);
    }
    options.audit_sink_secret_files["hook"] = key_path;
    options.audit_sink_streaming.poll = 20ms;
    options.audit_sink_streaming.first_backoff = 20ms;
    options.audit_sink_streaming.max_backoff = 200ms;
    options_ = options;
  }

  void Restart() {
    client_.reset();
    app_->Stop();
    app_.reset();
    Result<std::unique_ptr<server::ServerApp>> app =
        server::ServerApp::Start(options_);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
    client_ = std::make_unique<HttpClient>(app_->port());
  }

  // The newest committed sequence (the query is itself audited, after).
  int64_t Head() {
    HttpReply reply =
        client_->Get("/v1/audit?order=desc&limit=1", admin_token_);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json().at("items").as_array().at(0).at("sequence").as_int64();
  }

  // The value of a metric line `name{sink="sink"}` in /metrics, or -1.
  int64_t Metric(const std::string& name, const std::string& sink) {
    const std::string body = client_->Get("/metrics").body;
    const std::string key = name + "{sink=\"" + sink + "\"} ";
    const size_t at = body.find(key);
    if (at == std::string::npos) return -1;
    return std::stoll(body.substr(at + key.size()));
  }

  bool AllSinksHave(int64_t last) {
    return Complete(tcp_.received().sequences(), last) &&
           Complete(udp_.received().sequences(), last) &&
           Complete(WebhookSequences(hook_.requests()), last) &&
           Complete(FileSequences(file_path_), last);
  }

  SyslogReceiver tcp_{false};
  SyslogReceiver udp_{true};
  WebhookReceiver hook_;
  uint16_t dead_port_ = 0;
  std::string file_path_;
  server::ServerOptions options_;
};

TEST_F(AuditSinkTest, EverySinkGetsEveryRecordWithItsChain) {
  for (int i = 0; i < 20; ++i) CreateTeam("team-" + std::to_string(i));
  const int64_t head = Head();
  ASSERT_GE(head, 20);
  ASSERT_TRUE(WaitUntil([&] { return AllSinksHave(head); }));

  // Syslog: RFC 5424 fields, the chain in structured data, linked.
  std::map<int64_t, testing_sinks::SyslogMessage> by_seq;
  for (const auto& m : tcp_.received().messages()) {
    by_seq[std::stoll(m.params.at("seq"))] = m;
  }
  EXPECT_EQ(tcp_.unparsed(), 0);
  for (int64_t s = 2; s <= head; ++s) {
    EXPECT_EQ(by_seq[s].params.at("prev_hash"), by_seq[s - 1].params.at("hash"))
        << s;
    EXPECT_EQ(by_seq[s].hostname, "warden-it");
    EXPECT_EQ(by_seq[s].app_name, "warden");
    EXPECT_TRUE(by_seq[s].bom);
    EXPECT_EQ(boost::json::parse(by_seq[s].msg).at("sequence").as_int64(), s);
  }
  EXPECT_EQ(udp_.unparsed(), 0);

  // Webhook: every batch signed after Standard Webhooks.
  for (const WebhookRequest& request : hook_.requests()) {
    const std::string content = request.headers.at("webhook-id") + "." +
                                request.headers.at("webhook-timestamp") + "." +
                                request.body;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(
        &state, reinterpret_cast<const unsigned char*>(kWebhookKey.data()),
        kWebhookKey.size());
    crypto_auth_hmacsha256_update(
        &state, reinterpret_cast<const unsigned char*>(content.data()),
        content.size());
    crypto_auth_hmacsha256_final(&state, mac);
    EXPECT_EQ(request.headers.at("webhook-signature"),
              "v1," + Base64(mac, sizeof(mac)));
    const auto records =
        boost::json::parse(request.body).at("records").as_array();
    EXPECT_LE(records.size(), 25u);
  }

  // The dead collector only lags, and says so.
  EXPECT_TRUE(WaitUntil([&] {
    return Metric("warden_audit_sink_lag_records", "dead") >= head &&
           Metric("warden_audit_sink_failed_deliveries_total", "dead") > 0;
  }));
  EXPECT_TRUE(WaitUntil(
      [&] { return Metric("warden_audit_sink_lag_records", "tcp") == 0; }));
  EXPECT_GE(Metric("warden_audit_sink_delivered_records_total", "tcp"), head);
  EXPECT_EQ(Metric("warden_audit_sink_lease_held", "tcp"), 1);
}

TEST_F(AuditSinkTest, ADeadSinkDoesNotSlowRequestsAndDrainsWhenBack) {
  const auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) CreateTeam("slow-" + std::to_string(i));
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  // 50 audited writes on loopback: far below one syslog timeout (5s).
  EXPECT_LT(elapsed, 5s);
  const int64_t head = Head();
  ASSERT_TRUE(WaitUntil(
      [&] { return Metric("warden_audit_sink_lag_records", "dead") >= head; }));
  SyslogReceiver back(false, dead_port_);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back.received().WaitFor(
      [&](const Received& got) { return Complete(got.sequences(), head); },
      20s));
  EXPECT_TRUE(WaitUntil(
      [&] { return Metric("warden_audit_sink_lag_records", "dead") == 0; }));
}

TEST_F(AuditSinkTest, NoGapsAcrossARestartInTheMiddleOfTheStream) {
  std::atomic<bool> writing{true};
  std::atomic<int> written{0};
  auto load = [&](uint16_t port) {
    HttpClient client(port);
    while (writing) {
      HttpReply reply = client.Post(
          "/v1/teams", admin_token_,
          boost::json::object{{"name", "load-" + std::to_string(written++)}});
      if (reply.status == 0) return;  // the server went away
    }
  };
  std::thread before(load, app_->port());
  ASSERT_TRUE(WaitUntil([&] { return written.load() > 30; }));
  writing = false;
  before.join();
  Restart();  // records committed just before the stop may be undelivered
  writing = true;
  std::thread after(load, app_->port());
  ASSERT_TRUE(WaitUntil([&] { return written.load() > 60; }));
  writing = false;
  after.join();
  const int64_t head = Head();
  ASSERT_TRUE(WaitUntil([&] { return AllSinksHave(head); }, 30s))
      << "tcp " << tcp_.received().sequences().size() << " udp "
      << udp_.received().sequences().size() << " head " << head;
}

TEST(AuditSinkOptionsTest, AWebhookWithoutAKeyStopsTheStart) {
  std::string pattern = ::testing::TempDir() + "warden_sink_XXXXXX";
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  server::ServerOptions options;
  options.data_dir = pattern + "/data";
  options.listen = "127.0.0.1:0";
  options.audit_sinks.push_back(
      *ParseAuditSinkSpec("hook=http://127.0.0.1:9/audit"));
  Result<std::unique_ptr<server::ServerApp>> app =
      server::ServerApp::Start(options);
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("--audit-sink-secret-file hook=FILE"),
            std::string::npos)
      << app.status().ToString();
  options.audit_sinks.clear();
  options.audit_sink_secret_files["nosuch"] = "/dev/null";
  app = server::ServerApp::Start(options);
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("no --audit-sink named 'nosuch'"),
            std::string::npos)
      << app.status().ToString();
  std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace warden::testing_http
