#include "discovery/tls_scanner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <string>
#include <thread>

#include "discovery/test_certificates.h"

namespace warden::discovery {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using ::testing::HasSubstr;
using testing::MakeCertificate;
using Spec = testing::TestCertificateSpec;

// A TLS server on 127.0.0.1 that presents `chain_pem` to `connections`
// clients, one after another, then stops.
class TestTlsServer {
 public:
  TestTlsServer(const std::string& chain_pem, const std::string& key_pem,
                int connections, int max_version = 0)
      : tls_(asio::ssl::context::tls_server),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    SSL_CTX_set_security_level(tls_.native_handle(), 0);  // weak keys too
    if (max_version != 0) {
      SSL_CTX_set_min_proto_version(tls_.native_handle(), 0);
      SSL_CTX_set_max_proto_version(tls_.native_handle(), max_version);
    }
    tls_.use_certificate_chain(asio::buffer(chain_pem));
    tls_.use_private_key(asio::buffer(key_pem), asio::ssl::context::pem);
    thread_ = std::thread([this, connections] { Serve(connections); });
  }
  ~TestTlsServer() { thread_.join(); }

  std::string target() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  void Serve(int connections) {
    for (int i = 0; i < connections; ++i) {
      boost::system::error_code ec;
      asio::ssl::stream<tcp::socket> stream(io_, tls_);
      acceptor_.accept(stream.next_layer(), ec);
      if (ec) return;
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (!ec) stream.shutdown(ec);
    }
  }

  asio::io_context io_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

// A port on which nothing listens (bound, then released).
std::string ClosedTarget() {
  asio::io_context io;
  tcp::acceptor acceptor(io,
                         tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  return "127.0.0.1:" + std::to_string(port);
}

TEST(TlsScannerTest, ReadsThePresentedChainWithoutVerifyingIt) {
  const auto ca = MakeCertificate(Spec("Edge CA").Ca());
  const auto leaf = MakeCertificate(
      Spec("edge.example").San("DNS:edge.example").IssuedBy(&ca));
  TestTlsServer server(leaf.pem + ca.pem, leaf.key_pem, 1);

  std::vector<ScanProgress> progress;
  const ScanReport report = ScanTlsEndpoints(
      {server.target()},
      [&progress](const ScanProgress& p) { progress.push_back(p); });

  for (const auto& issue : report.issues) {
    ADD_FAILURE() << issue.location << ": " << issue.message;
  }
  ASSERT_EQ(report.observations.size(), 2u);
  const Observation& first = report.observations[0];
  EXPECT_EQ(first.kind, kCertificateKind);
  EXPECT_EQ(first.source, "tls");
  EXPECT_EQ(first.location, server.target());
  EXPECT_EQ(first.name, "edge.example");
  EXPECT_EQ(first.attributes.at("chain_position"), "0");
  EXPECT_EQ(first.attributes.at("sans"), "DNS:edge.example");
  EXPECT_EQ(first.attributes.at("issuer"), "CN=Edge CA");
  EXPECT_THAT(first.attributes.at("tls_version"), HasSubstr("TLS"));
  EXPECT_EQ(report.observations[1].name, "Edge CA");
  EXPECT_EQ(report.observations[1].attributes.at("is_ca"), "true");
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_EQ(progress[0].current, server.target());
}

// An RSA-1024 certificate over TLS 1.0: what a default client refuses.
TEST(TlsScannerTest, SeesWeakEndpointsATrustingClientWouldRefuse) {
  const auto weak = MakeCertificate(Spec("legacy.example").Rsa(1024));
  TestTlsServer server(weak.pem, weak.key_pem, 1, TLS1_VERSION);
  const ScanReport report = ScanTlsEndpoints({server.target()}, nullptr);
  for (const auto& issue : report.issues) {
    ADD_FAILURE() << issue.location << ": " << issue.message;
  }
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].attributes.at("key_bits"), "1024");
  EXPECT_EQ(report.observations[0].attributes.at("tls_version"), "TLSv1");
}

TEST(TlsScannerTest, RefusedAndMalformedTargetsAreIssuesAndTheRestIsScanned) {
  const auto cert = MakeCertificate(Spec("self").San("DNS:localhost"));
  TestTlsServer server(cert.pem, cert.key_pem, 1);
  const std::string closed = ClosedTarget();

  const ScanReport report = ScanTlsEndpoints(
      {closed, "::1:443", "host:0", "host:http", server.target()}, nullptr);

  ASSERT_EQ(report.issues.size(), 4u);
  EXPECT_EQ(report.issues[0].location, closed);
  EXPECT_THAT(report.issues[0].message, HasSubstr("cannot connect"));
  EXPECT_THAT(report.issues[1].message, HasSubstr("brackets"));
  EXPECT_THAT(report.issues[2].message, HasSubstr("port"));
  EXPECT_THAT(report.issues[3].message, HasSubstr("port"));
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].attributes.at("self_signed"), "true");
  EXPECT_EQ(report.files_scanned, 5);
}

TEST(TlsScannerTest, SilentServerTimesOut) {
  asio::io_context io;
  // Listens (so the TCP connection completes in the kernel) but never speaks.
  tcp::acceptor silent(io,
                       tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const std::string target =
      "127.0.0.1:" + std::to_string(silent.local_endpoint().port());

  const auto start = std::chrono::steady_clock::now();
  const ScanReport report =
      ScanTlsEndpoints({target}, nullptr,
                       {.connect_timeout = std::chrono::milliseconds(2000),
                        .handshake_timeout = std::chrono::milliseconds(200)});
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, target);
  EXPECT_THAT(report.issues[0].message, HasSubstr("handshake timed out"));
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_TRUE(report.observations.empty());
}

}  // namespace
}  // namespace warden::discovery
