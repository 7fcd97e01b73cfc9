// TLS on the listener, spoken to with OpenSSL's TLS client (through
// Boost.Asio) and with the `openssl s_client` command: protocol versions,
// certificate reload without dropping connections, optional client
// certificates, streams and plain HTTP on a TLS port.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "http_client.h"
#include "server_fixture.h"
#include "tls_connection.h"
#include "tls_test_files.h"

namespace warden::testing_http {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using net::ip::tcp;

// Output of a shell command (stdout and stderr).
std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> chunk{};
  while (fgets(chunk.data(), chunk.size(), pipe) != nullptr)
    out += chunk.data();
  pclose(pipe);
  return out;
}

class TlsListenerTest : public ServerFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    tls_dir_ = options.data_dir + "-tls";
    std::filesystem::create_directories(tls_dir_);
    const std::string failed = MakeTlsTestFiles(tls_dir_, &files_);
    ASSERT_EQ(failed, "") << "openssl failed: " << failed;
    options.tls_certificate_file = files_.server_cert;
    options.tls_key_file = files_.server_key;
    options.tls_client_ca_file = files_.ca_cert;
  }
  void TearDown() override {
    ServerFixture::TearDown();
    std::filesystem::remove_all(tls_dir_);
  }

  std::string tls_dir_;
  TlsTestFiles files_;
};

TEST_F(TlsListenerTest, ServesHttpsWithTls13ByDefault) {
  EXPECT_EQ(app_->url().rfind("https://127.0.0.1:", 0), 0u) << app_->url();
  TlsConnection connection(app_->port(), files_.ca_cert);
  ASSERT_TRUE(connection.connected()) << connection.error();
  EXPECT_EQ(connection.protocol(), "TLSv1.3");
  EXPECT_EQ(connection.Get("/healthz"), 200);
  // Keep-alive: a second request on the same TLS connection.
  EXPECT_EQ(connection.Get("/v1/identities", admin_token_), 200);
}

TEST_F(TlsListenerTest, AcceptsTls12AndRefusesOlderVersions) {
  TlsConnection tls12(app_->port(), files_.ca_cert,
                      {.max_version = TLS1_2_VERSION});
  ASSERT_TRUE(tls12.connected()) << tls12.error();
  EXPECT_EQ(tls12.protocol(), "TLSv1.2");
  EXPECT_EQ(tls12.Get("/healthz"), 200);

  TlsConnection tls11(app_->port(), files_.ca_cert,
                      {.max_version = TLS1_1_VERSION});
  EXPECT_FALSE(tls11.connected());
}

TEST_F(TlsListenerTest, PlainHttpOnTheTlsPortIsClosedAndServingGoesOn) {
  HttpClient plain(app_->port());
  EXPECT_EQ(plain.Get("/healthz").status, 0);  // no HTTP answer, no crash
  TlsConnection connection(app_->port(), files_.ca_cert);
  ASSERT_TRUE(connection.connected()) << connection.error();
  EXPECT_EQ(connection.Get("/healthz"), 200);
}

TEST_F(TlsListenerTest,
       ReloadServesTheNewCertificateWithoutDroppingConnections) {
  const std::string old_certificate = tls_dir_ + "/old.pem";
  std::filesystem::copy_file(files_.server_cert, old_certificate);
  TlsConnection before(app_->port(), files_.ca_cert);
  ASSERT_TRUE(before.connected()) << before.error();
  EXPECT_EQ(before.Get("/healthz"), 200);
  EXPECT_TRUE(before.ServerPresented(old_certificate));

  ASSERT_EQ(ReissueServerCertificate(files_), "");
  ASSERT_TRUE(app_->ReloadTls().ok());

  EXPECT_EQ(before.Get("/healthz"), 200);  // the open connection lives on
  TlsConnection after(app_->port(), files_.ca_cert);
  ASSERT_TRUE(after.connected()) << after.error();
  EXPECT_TRUE(after.ServerPresented(files_.server_cert));
  EXPECT_FALSE(after.ServerPresented(old_certificate));
}

TEST_F(TlsListenerTest, AFailedReloadKeepsTheCurrentCertificate) {
  {
    std::ofstream broken(files_.server_cert, std::ios::trunc);
    broken << "-----BEGIN CERTIFICATE-----\nnot base64\n";
  }
  const Status reloaded = app_->ReloadTls();
  EXPECT_FALSE(reloaded.ok());
  EXPECT_NE(reloaded.message().find(files_.server_cert), std::string::npos)
      << reloaded.message();
  TlsConnection connection(app_->port(), files_.ca_cert);
  ASSERT_TRUE(connection.connected()) << connection.error();
  EXPECT_EQ(connection.Get("/healthz"), 200);
}

TEST_F(TlsListenerTest,
       ClientCertificatesAreOptionalButMustChainToTheClientCa) {
  TlsConnection workload(
      app_->port(), files_.ca_cert,
      {.certificate = files_.client_cert, .key = files_.client_key});
  ASSERT_TRUE(workload.connected()) << workload.error();
  EXPECT_EQ(workload.Get("/healthz"), 200);

  TlsConnection stranger(
      app_->port(), files_.ca_cert,
      {.certificate = files_.stranger_cert, .key = files_.stranger_key});
  // TLS 1.3 sends the client certificate after the client's handshake
  // completes: the refusal shows on the first exchange at the latest.
  EXPECT_TRUE(!stranger.connected() || stranger.Get("/healthz") == 0);

  TlsConnection anonymous(app_->port(), files_.ca_cert);
  ASSERT_TRUE(anonymous.connected()) << anonymous.error();
  EXPECT_EQ(anonymous.Get("/v1/identities", admin_token_), 200);
}

TEST_F(TlsListenerTest, OpensslSClientVerifiesTheChain) {
  const std::string out =
      Shell("openssl s_client -brief -connect 127.0.0.1:" +
            std::to_string(app_->port()) + " -CAfile " + files_.ca_cert +
            " -verify_ip 127.0.0.1 -verify_return_error < /dev/null");
  EXPECT_NE(out.find("Verification: OK"), std::string::npos) << out;
  EXPECT_NE(out.find("Protocol version: TLSv1.3"), std::string::npos) << out;
}

TEST_F(TlsListenerTest, OpensslSClientTls12UsesAForwardSecretAead) {
  const std::string out =
      Shell("openssl s_client -brief -tls1_2 -connect 127.0.0.1:" +
            std::to_string(app_->port()) + " -CAfile " + files_.ca_cert +
            " < /dev/null");
  EXPECT_NE(out.find("Protocol version: TLSv1.2"), std::string::npos) << out;
  EXPECT_NE(out.find("Ciphersuite: ECDHE-"), std::string::npos) << out;
  EXPECT_NE(out.find("GCM"), std::string::npos) << out;
}

}  // namespace
}  // namespace warden::testing_http
