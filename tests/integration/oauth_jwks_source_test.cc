// Trusted issuers whose keys live outside the configuration: "jwks_uri"
// (fetched from a loopback HTTP server in this test, refreshed on an
// unknown kid) and "jwks_file". A source that cannot be read when the
// configuration is set refuses it with a 400 naming the issuer.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "oauth_test_support.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"
#include "tokens/signing_key.h"

namespace warden::testing_http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr char kCiIssuer[] = "https://ci.example";
constexpr char kJwtType[] = "urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt";

// Serves one configurable answer to every GET, on 127.0.0.1 only.
class JwksServer {
 public:
  JwksServer()
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~JwksServer() {
    stopping_ = true;
    boost::system::error_code ignored;
    tcp::socket poke(ioc_);
    poke.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }
  void Answer(unsigned status, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    body_ = std::move(body);
  }
  std::string url() const {
    return "http://127.0.0.1:" +
           std::to_string(acceptor_.local_endpoint().port()) + "/jwks.json";
  }
  int requests() const { return requests_.load(); }

 private:
  void Serve() {
    while (!stopping_) {
      boost::system::error_code ec;
      tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) continue;
      beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, ec);
      if (ec) continue;
      requests_.fetch_add(1);
      http::response<http::string_body> response;
      {
        std::lock_guard<std::mutex> lock(mu_);
        response.result(status_);
        response.body() = body_;
      }
      response.set(http::field::content_type, "application/json");
      if (response.result_int() == 302) {
        response.set(http::field::location, "http://127.0.0.1:1/elsewhere");
      }
      response.prepare_payload();
      http::write(socket, response, ec);
    }
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::mutex mu_;
  unsigned status_ = 200;
  std::string body_;
};

std::shared_ptr<const tokens::SigningKey> NewKey() {
  auto key = tokens::SigningKey::Generate(tokens::JwsAlgorithm::kES256);
  EXPECT_TRUE(key.ok());
  return key.ok() ? *key : nullptr;
}

std::string JwksOf(const std::shared_ptr<const tokens::SigningKey>& key) {
  return tokens::Jwks({key->public_key()}).ToJson();
}

class OAuthJwksSourceTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    key_ = NewKey();
  }

  HttpReply SetSource(const std::string& member, const std::string& value) {
    boost::json::array config{boost::json::object{
        {"issuer", kCiIssuer},
        {"audience", "warden"},
        {member, value},
        {"rules",
         {boost::json::object{{"claims", {{"repository", "acme/checkout"}}},
                              {"identity", "checkout-worker"}}}}}};
    return client_->Send("PUT", "/v1/oauth/trusted-issuers", admin_token_,
                         boost::json::serialize(config));
  }

  void ExpectRefusedNamingIssuer(const HttpReply& reply,
                                 const std::string& reason) {
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_NE(reply.body.find(kCiIssuer), std::string::npos) << reply.body;
    EXPECT_NE(reply.body.find(reason), std::string::npos) << reply.body;
  }

  std::string CiToken(const tokens::SigningKey& key) {
    const int64_t now = ToUnixSeconds(SystemClock().Now());
    boost::json::object claims{{"iss", kCiIssuer},
                               {"aud", "warden"},
                               {"sub", "repo:acme/checkout"},
                               {"repository", "acme/checkout"},
                               {"iat", now},
                               {"exp", now + 300}};
    auto jws =
        tokens::SignCompactJws(key, "JWT", boost::json::serialize(claims));
    EXPECT_TRUE(jws.ok());
    return jws.ok() ? *jws : std::string();
  }

  HttpReply Exchange(const std::string& subject_token) {
    return client_->Send(
        "POST", "/oauth/token", {},
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
        "&subject_token_type=" +
            std::string(kJwtType) + "&subject_token=" + subject_token,
        FormHeaders());
  }

  void Restart() {
    const uint16_t port = app_->port();
    client_.reset();
    app_->Stop();
    app_.reset();
    server::ServerOptions options;
    options.data_dir = data_dir_ + "/data";
    options.listen = "127.0.0.1:" + std::to_string(port);  // same issuer
    options.io_threads = 2;
    options.worker_threads = 8;
    Result<std::unique_ptr<server::ServerApp>> app =
        server::ServerApp::Start(options);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
    client_ = std::make_unique<HttpClient>(app_->port());
  }

  std::shared_ptr<const tokens::SigningKey> key_;
};

TEST_F(OAuthJwksSourceTest, UriKeysAreFetchedAndRotationIsPickedUp) {
  JwksServer issuer;
  issuer.Answer(200, JwksOf(key_));
  HttpReply set = SetSource("jwks_uri", issuer.url());
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(issuer.requests(), 1);
  HttpReply exchanged = Exchange(CiToken(*key_));
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;

  // The issuer rotates: its new key is unknown until a refresh.
  auto rotated = NewKey();
  issuer.Answer(200, JwksOf(rotated));
  exchanged = Exchange(CiToken(*rotated));
  EXPECT_EQ(exchanged.status, 200) << exchanged.body;
  EXPECT_EQ(issuer.requests(), 2);

  // Unknown kids refresh at most once per 30 s: no third fetch now.
  EXPECT_EQ(Exchange(CiToken(*NewKey())).status, 400);
  EXPECT_EQ(issuer.requests(), 2);
  // The old key left the issuer's set with the refresh.
  EXPECT_EQ(Exchange(CiToken(*key_)).status, 400);
}

// After a restart the keys are fetched on first use; an issuer that is down
// then costs one fetch per refresh interval, not one per request.
TEST_F(OAuthJwksSourceTest, AfterRestartKeysAreFetchedOnFirstUse) {
  JwksServer issuer;
  issuer.Answer(200, JwksOf(key_));
  ASSERT_EQ(SetSource("jwks_uri", issuer.url()).status, 200);
  issuer.Answer(503, "");
  Restart();
  EXPECT_EQ(Exchange(CiToken(*key_)).status, 400);
  const int after_first = issuer.requests();
  EXPECT_EQ(Exchange(CiToken(*key_)).status, 400);
  EXPECT_EQ(Exchange(CiToken(*key_)).status, 400);
  EXPECT_LE(issuer.requests(), after_first + 1);  // one rate-limited retry

  issuer.Answer(200, JwksOf(key_));
  Restart();
  EXPECT_EQ(Exchange(CiToken(*key_)).status, 200);
}

TEST_F(OAuthJwksSourceTest, UnreachableUriIsRefusedWhenSet) {
  std::string url;
  {
    JwksServer closed;  // bound, then gone: nothing listens there
    url = closed.url();
  }
  ExpectRefusedNamingIssuer(SetSource("jwks_uri", url), "keys unavailable");
  ExpectRefusedNamingIssuer(SetSource("jwks_uri", "ftp://127.0.0.1/x"),
                            "scheme");
}

// https verifies the issuer's certificate: Warden's own CA certificate,
// trusted by nobody's system store, is refused during the handshake.
TEST_F(OAuthJwksSourceTest, UntrustedTlsCertificateIsRefused) {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc,
                         tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  asio::ssl::context tls(asio::ssl::context::tls_server);
  tls.use_certificate_chain_file(data_dir_ + "/data/ca.crt");
  tls.use_private_key_file(data_dir_ + "/data/ca.key", asio::ssl::context::pem);
  std::thread server([&] {
    boost::system::error_code ec;
    tcp::socket socket(ioc);
    acceptor.accept(socket, ec);
    if (ec) return;
    asio::ssl::stream<tcp::socket> stream(std::move(socket), tls);
    stream.handshake(asio::ssl::stream_base::server, ec);  // client aborts
  });
  const std::string url =
      "https://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) +
      "/jwks.json";
  ExpectRefusedNamingIssuer(SetSource("jwks_uri", url), "certificate");
  server.join();
}

TEST_F(OAuthJwksSourceTest, BadAnswersAreRefusedWhenSet) {
  JwksServer issuer;
  issuer.Answer(200, std::string(300 * 1024, ' '));
  ExpectRefusedNamingIssuer(SetSource("jwks_uri", issuer.url()), "larger");
  issuer.Answer(200, "{not json");
  ExpectRefusedNamingIssuer(SetSource("jwks_uri", issuer.url()),
                            "not a valid JWKS");
  issuer.Answer(302, "");
  ExpectRefusedNamingIssuer(SetSource("jwks_uri", issuer.url()), "redirects");
  issuer.Answer(500, JwksOf(key_));
  ExpectRefusedNamingIssuer(SetSource("jwks_uri", issuer.url()), "HTTP 500");
  // Nothing was stored: exchanges still find no trusted issuer.
  EXPECT_EQ(Exchange(CiToken(*key_)).status, 400);
}

TEST_F(OAuthJwksSourceTest, FileKeysWorkAndAMissingFileIsRefused) {
  std::string dir = ::testing::TempDir() + "warden-jwks-XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string path = dir + "/jwks.json";
  std::ofstream(path) << JwksOf(key_);
  HttpReply set = SetSource("jwks_file", path);
  EXPECT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Exchange(CiToken(*key_)).status, 200);
  ExpectRefusedNamingIssuer(SetSource("jwks_file", dir + "/missing.json"),
                            "cannot be read");
  ExpectRefusedNamingIssuer(SetSource("jwks_file", "relative.json"),
                            "absolute");
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

TEST_F(OAuthJwksSourceTest, ExactlyOneKeySource) {
  boost::json::array config{
      boost::json::object{{"issuer", kCiIssuer},
                          {"audience", "warden"},
                          {"jwks_file", "/a.json"},
                          {"jwks_uri", "http://127.0.0.1:1/"},
                          {"rules", boost::json::array{}}}};
  HttpReply reply = client_->Send("PUT", "/v1/oauth/trusted-issuers",
                                  admin_token_, boost::json::serialize(config));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_NE(reply.body.find("exactly one"), std::string::npos) << reply.body;
}

}  // namespace
}  // namespace warden::testing_http
