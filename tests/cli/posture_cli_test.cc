// `warden scan`, `drift`, `finding`, `review`, `maturity`, `posture` and
// `report` against a real `warden serve` child: a directory with a real
// certificate and a truncated PEM is scanned (the broken file is reported
// as file:line, the scan still succeeds and records what it saw), the
// unmanaged certificate is imported as a draft, the sweep opens findings
// mapped to OWASP NHI and NIST CSF, one is acknowledged, an access review is
// decided, and the HTML report is self-contained and escapes user text.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "discovery/test_certificates.h"
#include "warden_process.h"

namespace warden::testing_cli {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;

constexpr int kExitUsage = 1;
constexpr int kExitAuth = 4;
constexpr int kExitInvalidInput = 5;

json::value Json(const CommandResult& r) {
  boost::system::error_code ec;
  json::value value = json::parse(r.out, ec);
  EXPECT_FALSE(ec) << "not JSON: " << r.out << r.err;
  return ec ? json::value() : value;
}

json::array Items(const CommandResult& r) {
  json::value value = Json(r);
  if (!value.is_object() || !value.get_object().contains("items")) return {};
  return value.at("items").as_array();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// A TLS server on 127.0.0.1 that presents `cert_pem` to one client.
class OneShotTlsServer {
 public:
  OneShotTlsServer(const std::string& cert_pem, const std::string& key_pem)
      : tls_(asio::ssl::context::tls_server),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    tls_.use_certificate_chain(asio::buffer(cert_pem));
    tls_.use_private_key(asio::buffer(key_pem), asio::ssl::context::pem);
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      asio::ssl::stream<tcp::socket> stream(io_, tls_);
      acceptor_.accept(stream.next_layer(), ec);
      if (ec) return;
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (!ec) stream.shutdown(ec);
    });
  }
  ~OneShotTlsServer() { thread_.join(); }
  std::string target() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  asio::io_context io_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

class PostureCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = ServerProcess::Start(tmp_.path() + "/data", &error);
    ASSERT_NE(server_, nullptr) << error;
    ASSERT_EQ(Warden({"team", "add", "payments"}).exit_code, 0);
    certs_ = tmp_.path() + "/certs";
    std::filesystem::create_directories(certs_);
    const auto cert = discovery::testing::MakeCertificate(
        discovery::testing::TestCertificateSpec("payments-api"));
    WriteText(certs_ + "/payments.pem", cert.pem);
    // The first half of a PEM certificate: BEGIN without END.
    WriteText(certs_ + "/broken.pem", cert.pem.substr(0, cert.pem.size() / 2));
  }
  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Output();
    }
  }
  CommandResult Warden(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->url(), "--token",
                               server_->admin_token()});
    return RunWarden(args);
  }
  // Scans the certificate directory and imports its certificate as a draft
  // owned by payments; returns the draft's identity id.
  std::string ScanAndImport() {
    CommandResult scan = Warden({"scan", "certs", certs_});
    EXPECT_EQ(scan.exit_code, 0) << scan.err;
    json::array drift = Items(Warden({"-o", "json", "drift"}));
    EXPECT_EQ(drift.size(), 1u);
    if (drift.empty()) return {};
    const std::string ref =
        "certificate/" + std::string(drift[0].at("key").as_string());
    json::array drafts = Items(
        Warden({"-o", "json", "drift", "import", ref, "--owner", "payments"}));
    EXPECT_EQ(drafts.size(), 1u);
    return drafts.empty() ? std::string()
                          : std::string(drafts[0].at("id").as_string());
  }

  TempDir tmp_;
  std::string certs_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(PostureCliTest, ScanReportsBrokenFilesAndRecordsObservations) {
  CommandResult scan = Warden({"scan", "certs", certs_});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_NE(scan.err.find(certs_ + "/broken.pem:1: "), std::string::npos)
      << scan.err;
  EXPECT_NE(scan.out.find("payments-api"), std::string::npos) << scan.out;
  EXPECT_NE(scan.out.find("unmanaged 1"), std::string::npos) << scan.out;

  json::value drift = Json(Warden({"-o", "json", "drift"}));
  ASSERT_EQ(drift.at("items").as_array().size(), 1u);
  EXPECT_EQ(drift.at("items").at(0).at("name").as_string(), "payments-api");
  EXPECT_EQ(drift.at("items").at(0).at("kind").as_string(), "certificate");
  EXPECT_EQ(drift.at("summary").at("unmanaged").to_number<int64_t>(), 1);

  json::array scans = Items(Warden({"-o", "json", "scan", "list"}));
  ASSERT_EQ(scans.size(), 1u);
  EXPECT_EQ(scans[0].at("state").as_string(), "complete");
  EXPECT_EQ(scans[0].at("issues").to_number<int64_t>(), 1);
  EXPECT_EQ(Items(Warden({"-o", "json", "observation", "list", "--unmanaged"}))
                .size(),
            1u);
}

TEST_F(PostureCliTest, TlsScanRecordsPresentedCertificates) {
  const auto cert = discovery::testing::MakeCertificate(
      discovery::testing::TestCertificateSpec("edge-gateway"));
  OneShotTlsServer endpoint(cert.pem, cert.key_pem);
  // Nothing listens on port 1 of the loopback: an issue, not a failure.
  CommandResult scan =
      Warden({"-o", "json", "scan", "tls", endpoint.target(), "127.0.0.1:1"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_NE(scan.err.find("127.0.0.1:1: "), std::string::npos) << scan.err;
  json::value out = Json(scan);
  ASSERT_EQ(out.at("observations").as_array().size(), 1u);
  EXPECT_EQ(out.at("observations").at(0).at("location").as_string(),
            endpoint.target());
  EXPECT_EQ(out.at("scan").at("unmanaged").to_number<int64_t>(), 1);
  json::array observations =
      Items(Warden({"-o", "json", "observation", "list", "--source", "tls"}));
  ASSERT_EQ(observations.size(), 1u);
  EXPECT_EQ(observations[0].at("name").as_string(), "edge-gateway");
}

TEST_F(PostureCliTest, OfflineScanWritesJsonAndSarifWithoutPosting) {
  const std::string sarif = tmp_.path() + "/issues.sarif";
  CommandResult scan = Warden(
      {"-o", "json", "scan", "certs", certs_, "--offline", "--sarif", sarif});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  json::value out = Json(scan);
  EXPECT_EQ(out.at("observations").as_array().size(), 1u);
  EXPECT_EQ(out.at("issues").as_array().size(), 1u);
  EXPECT_TRUE(out.at("scan").is_null());
  json::value log = json::parse(ReadFile(sarif));
  EXPECT_EQ(log.at("version").as_string(), "2.1.0");
  const json::value& location = log.at("runs")
                                    .at(0)
                                    .at("results")
                                    .at(0)
                                    .at("locations")
                                    .at(0)
                                    .at("physicalLocation");
  EXPECT_EQ(location.at("artifactLocation").at("uri").as_string(),
            certs_ + "/broken.pem");
  EXPECT_EQ(location.at("region").at("startLine").to_number<int64_t>(), 1);
  EXPECT_TRUE(Items(Warden({"-o", "json", "scan", "list"})).empty());
}

TEST_F(PostureCliTest, RefusesMissingPathsAndMalformedReferences) {
  CommandResult missing =
      Warden({"scan", "certs", tmp_.path() + "/no-such-dir"});
  EXPECT_EQ(missing.exit_code, kExitInvalidInput);
  EXPECT_NE(missing.err.find("no-such-dir"), std::string::npos);
  EXPECT_EQ(Warden({"scan", "k8s", tmp_.path() + "/nope.yaml"}).exit_code,
            kExitInvalidInput);
  EXPECT_EQ(Warden({"drift", "import", "no-slash"}).exit_code,
            kExitInvalidInput);
  EXPECT_EQ(Warden({"drift", "--kind", "sideways"}).exit_code, kExitUsage);
  EXPECT_EQ(Warden({"scan", "certs"}).exit_code, kExitUsage);
  // Recording fails without a token, but what was seen is still shown.
  CommandResult unrecorded =
      RunWarden({"--server", server_->url(), "scan", "certs", certs_});
  EXPECT_EQ(unrecorded.exit_code, kExitAuth);
  EXPECT_NE(unrecorded.out.find("payments-api"), std::string::npos);
}

TEST_F(PostureCliTest, ImportedObservationBecomesDraftIdentity) {
  const std::string id = ScanAndImport();
  ASSERT_FALSE(id.empty());
  json::value identity = Json(Warden({"-o", "json", "identity", "show", id}));
  EXPECT_EQ(identity.at("status").as_string(), "draft");
  EXPECT_EQ(identity.at("owner").as_string(), "payments");
}

TEST_F(PostureCliTest, SweepFindingsAcknowledgeReviewMaturityReport) {
  ASSERT_FALSE(ScanAndImport().empty());
  ASSERT_EQ(Warden({"posture", "sweep"}).exit_code, 0);

  json::array findings = Items(Warden({"-o", "json", "finding", "list"}));
  ASSERT_FALSE(findings.empty());
  for (const json::value& f : findings) {
    EXPECT_TRUE(f.at("owasp").as_string().starts_with("NHI")) << f;
    EXPECT_FALSE(f.at("csf").as_array().empty()) << f;
  }
  const std::string finding(findings[0].at("id").as_string());
  EXPECT_EQ(Warden({"finding", "ack", finding, "--reason", "x"}).exit_code,
            kExitInvalidInput);  // no expiry
  EXPECT_EQ(
      Warden({"finding", "ack", finding, "--expires-in", "30d"}).exit_code,
      kExitUsage);  // no reason
  json::value acked =
      Json(Warden({"-o", "json", "finding", "ack", finding, "--reason",
                   "owner team is being staffed", "--expires-in", "30d"}));
  EXPECT_EQ(acked.at("state").as_string(), "acknowledged");
  EXPECT_EQ(acked.at("acknowledgement").at("reason").as_string(),
            "owner team is being staffed");
  EXPECT_EQ(
      Json(Warden({"-o", "json", "finding", "summary"})).at("total").as_int64(),
      static_cast<int64_t>(findings.size()));

  json::value review =
      Json(Warden({"-o", "json", "review", "create", "--name", "quarterly",
                   "--team", "payments", "--due-in", "14d"}));
  const std::string campaign(review.at("id").as_string());
  json::array items =
      Items(Warden({"-o", "json", "review", "items", campaign}));
  ASSERT_EQ(items.size(), 1u);
  const std::string identity(items[0].at("identity").as_string());
  EXPECT_EQ(Warden({"review", "decide", campaign, identity, "maybe"}).exit_code,
            kExitUsage);
  ASSERT_EQ(Warden({"review", "decide", campaign, identity, "keep",
                    "--justification", "still serves checkout"})
                .exit_code,
            0);
  json::value shown = Json(Warden({"-o", "json", "review", "show", campaign}));
  EXPECT_EQ(shown.at("decisions").at("keep").to_number<int64_t>(), 1);

  json::value closed =
      Json(Warden({"-o", "json", "review", "close", campaign}));
  EXPECT_EQ(closed.at("state").as_string(), "closed");

  // The policy round-trips through a file; a file that is not JSON is
  // refused before anything is sent.
  CommandResult policy = Warden({"-o", "json", "posture", "policy", "get"});
  ASSERT_EQ(policy.exit_code, 0) << policy.err;
  const std::string policy_file = tmp_.path() + "/policy.json";
  WriteText(policy_file, policy.out);
  CommandResult set =
      Warden({"-o", "json", "posture", "policy", "set", policy_file});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(Json(set), Json(policy));
  WriteText(policy_file, "max_lifetime: 90d");
  EXPECT_EQ(Warden({"posture", "policy", "set", policy_file}).exit_code,
            kExitInvalidInput);

  json::value maturity = Json(Warden({"-o", "json", "maturity"}));
  for (const char* share : {"inventoried", "justified", "revocable"}) {
    EXPECT_TRUE(maturity.at(share).at("share").is_number()) << share;
  }

  const std::string html = tmp_.path() + "/report.html";
  CommandResult report =
      Warden({"report", "html", "--out", html, "--team", "<b>ops"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::string page = ReadFile(html);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_NE(page.find("&lt;b&gt;ops"), std::string::npos);
  EXPECT_EQ(page.find("<b>ops"), std::string::npos);

  const std::string all = tmp_.path() + "/all.html";
  ASSERT_EQ(Warden({"report", "html", "--out", all}).exit_code, 0);
  const std::string full = ReadFile(all);
  EXPECT_NE(full.find("NHI1 Improper Offboarding"), std::string::npos);
  EXPECT_NE(full.find("NHI10 Human Use of NHI"), std::string::npos);
  EXPECT_NE(full.find("payments-api"), std::string::npos);

  const std::string data = tmp_.path() + "/report.json";
  ASSERT_EQ(Warden({"report", "json", "--out", data}).exit_code, 0);
  json::value document = json::parse(ReadFile(data));
  // The review's "keep" resolved some findings since the first listing.
  EXPECT_EQ(
      document.at("findings").as_array().size(),
      Items(Warden({"-o", "json", "finding", "list", "--state", "unresolved"}))
          .size());
  EXPECT_TRUE(document.at("maturity").at("history").is_array());
}

}  // namespace
}  // namespace warden::testing_cli
