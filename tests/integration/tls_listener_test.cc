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
#include "tls_test_files.h"

namespace warden::testing_http {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using net::ip::tcp;

struct ClientSettings {
  std::string certificate;  // PEM file, or empty
  std::string key;
  int max_version = 0;  // e.g. TLS1_1_VERSION; 0: the library's highest
};

// One TLS connection to the server, kept open across requests.
class TlsConnection {
 public:
  TlsConnection(uint16_t port, const std::string& ca_file,
                const ClientSettings& settings = {})
      : context_(ssl::context::tls_client) {
    context_.load_verify_file(ca_file);
    context_.set_verify_mode(ssl::verify_peer);
    if (settings.max_version != 0) {
      SSL_CTX_set_max_proto_version(context_.native_handle(),
                                    settings.max_version);
    }
    if (!settings.certificate.empty()) {
      context_.use_certificate_chain_file(settings.certificate);
      context_.use_private_key_file(settings.key, ssl::context::pem);
    }
    stream_.emplace(ioc_, context_);
    SSL_set1_host(stream_->native_handle(), "127.0.0.1");
    boost::system::error_code ec;
    stream_->next_layer().connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    if (!ec) stream_->handshake(ssl::stream_base::client, ec);
    error_ = ec;
  }

  bool connected() const { return !error_; }
  std::string error() const { return error_.message(); }
  std::string protocol() { return SSL_get_version(stream_->native_handle()); }

  // True when the server presented the certificate in `pem_file`.
  bool ServerPresented(const std::string& pem_file) {
    X509* presented = SSL_get0_peer_certificate(stream_->native_handle());
    FILE* file = std::fopen(pem_file.c_str(), "r");
    if (presented == nullptr || file == nullptr) return false;
    X509* expected = PEM_read_X509(file, nullptr, nullptr, nullptr);
    std::fclose(file);
    const bool same = expected != nullptr && X509_cmp(presented, expected) == 0;
    X509_free(expected);
    return same;
  }

  // GET `target`; the status, or 0 when the exchange failed.
  int Get(const std::string& target, const std::string& token = {}) {
    return Send(http::verb::get, target, token, "");
  }
  int Post(const std::string& target, const std::string& token,
           const boost::json::value& body) {
    return Send(http::verb::post, target, token, boost::json::serialize(body));
  }

  int Send(http::verb method, const std::string& target,
           const std::string& token, const std::string& body) {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    if (!token.empty())
      request.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      request.set(http::field::content_type, "application/json");
      request.body() = body;
      request.prepare_payload();
    }
    boost::system::error_code ec;
    http::write(*stream_, request, ec);
    if (ec) return 0;
    http::response<http::string_body> response;
    http::read(*stream_, buffer_, response, ec);
    if (ec) return 0;
    body_ = response.body();
    return response.result_int();
  }
  const std::string& body() const { return body_; }

 private:
  net::io_context ioc_;
  ssl::context context_;
  std::optional<ssl::stream<tcp::socket>> stream_;
  boost::beast::flat_buffer buffer_;
  boost::system::error_code error_;
  std::string body_;
};

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

// A fresh P-256 key (PEM) and a CSR signed by it.
struct KeyAndCsr {
  std::string key_pem;
  std::string csr_pem;
};

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);  // NOLINT(runtime/int)
  std::string text(data, static_cast<size_t>(size));
  BIO_free(bio);
  return text;
}

KeyAndCsr NewKeyAndCsr() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509_REQ* request = X509_REQ_new();
  X509_REQ_set_pubkey(request, key);
  X509_REQ_sign(request, key, EVP_sha256());
  BIO* key_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  BIO* csr_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_REQ(csr_bio, request);
  X509_REQ_free(request);
  EVP_PKEY_free(key);
  return {BioText(key_bio), BioText(csr_bio)};
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A workload renews its X509-SVID over mutual TLS: Warden's own CA is the
// client CA, the handshake presents the current SVID and proves its key,
// and the body holds only a CSR, which may carry a new key.
class MutualTlsRenewalTest : public ServerFixture {
 protected:
  // Issues an SVID to a workload over plain HTTP, then restarts the server
  // on the same data dir with TLS and Warden's CA as the client CA.
  void SetUp() override {
    ServerFixture::SetUp();
    CreateTeam("payments");
    CreateIdentity("checkout-api", "payments");
    const KeyAndCsr first = NewKeyAndCsr();
    HttpReply issued =
        client_->Post("/v1/certificates", admin_token_,
                      boost::json::object{{"identity", "checkout-api"},
                                          {"csr", first.csr_pem}});
    ASSERT_EQ(issued.status, 201) << issued.body;
    serial_ = std::string(issued.json().at("serial").as_string());
    spiffe_id_ = std::string(issued.json().at("spiffe_id").as_string());
    HttpReply ca = client_->Get("/pki/ca");
    ASSERT_EQ(ca.status, 200);

    tls_dir_ = data_dir_ + "/tls";
    std::filesystem::create_directories(tls_dir_);
    ASSERT_EQ(MakeTlsTestFiles(tls_dir_, &files_), "");
    WriteFile(tls_dir_ + "/warden-ca.pem", ca.body);
    WriteFile(tls_dir_ + "/svid.pem",
              std::string(issued.json().at("certificate").as_string()));
    WriteFile(tls_dir_ + "/svid.key", first.key_pem);

    client_.reset();
    app_->Stop();
    server::ServerOptions options;
    options.data_dir = data_dir_ + "/data";
    options.listen = "127.0.0.1:0";
    options.tls_certificate_file = files_.server_cert;
    options.tls_key_file = files_.server_key;
    options.tls_client_ca_file = tls_dir_ + "/warden-ca.pem";
    Result<std::unique_ptr<server::ServerApp>> app =
        server::ServerApp::Start(options);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
  }

  TlsConnection WithSvid() {
    return TlsConnection(
        app_->port(), files_.ca_cert,
        {.certificate = tls_dir_ + "/svid.pem", .key = tls_dir_ + "/svid.key"});
  }

  std::string tls_dir_;
  TlsTestFiles files_;
  std::string serial_;
  std::string spiffe_id_;
};

TEST_F(MutualTlsRenewalTest, TheHandshakeIsTheCredentialAndTheKeyMayRotate) {
  TlsConnection workload = WithSvid();
  ASSERT_TRUE(workload.connected()) << workload.error();
  const KeyAndCsr next = NewKeyAndCsr();  // a new key: rotation
  ASSERT_EQ(workload.Post("/v1/certificates/renew", "",
                          boost::json::object{{"csr", next.csr_pem}}),
            201)
      << workload.body();
  const boost::json::value renewed = boost::json::parse(workload.body());
  EXPECT_EQ(renewed.at("renewed_from").as_string(), serial_);
  EXPECT_EQ(renewed.at("spiffe_id").as_string(), spiffe_id_);
}

TEST_F(MutualTlsRenewalTest, WithoutACertificateTheBodyMustCarryOne) {
  TlsConnection anonymous(app_->port(), files_.ca_cert);
  ASSERT_TRUE(anonymous.connected()) << anonymous.error();
  EXPECT_EQ(
      anonymous.Post("/v1/certificates/renew", "",
                     boost::json::object{{"csr", NewKeyAndCsr().csr_pem}}),
      400)
      << anonymous.body();
}

TEST_F(MutualTlsRenewalTest, ARevokedSvidStillHandshakesButRenewsNothing) {
  TlsConnection admin(app_->port(), files_.ca_cert);
  ASSERT_TRUE(admin.connected()) << admin.error();
  ASSERT_EQ(admin.Post("/v1/certificates/" + serial_ + "/revoke", admin_token_,
                       boost::json::object{{"reason", "key compromise"}}),
            200)
      << admin.body();
  TlsConnection workload = WithSvid();
  ASSERT_TRUE(workload.connected()) << workload.error();
  EXPECT_EQ(workload.Post("/v1/certificates/renew", "",
                          boost::json::object{{"csr", NewKeyAndCsr().csr_pem}}),
            401)
      << workload.body();
}

}  // namespace
}  // namespace warden::testing_http
