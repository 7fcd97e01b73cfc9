// OidcClient against a one-shot loopback HTTP server: what goes on the wire
// for each client authentication method, and how answers come back.
#include "outbound/oidc_client.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace warden::outbound {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Accepts one connection, records its request, answers `status` + `body`.
class OneShotServer {
 public:
  OneShotServer(unsigned status, std::string body)
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        thread_([this, status, body = std::move(body)] {
          tcp::socket socket(ioc_);
          acceptor_.accept(socket);
          beast::flat_buffer buffer;
          http::read(socket, buffer, request_);
          http::response<http::string_body> response{
              static_cast<http::status>(status), 11};
          if (status == 302) response.set(http::field::location, "/moved");
          response.set(http::field::content_type, "application/json");
          response.body() = body;
          response.prepare_payload();
          http::write(socket, response);
        }) {}
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
  }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" +
           std::to_string(acceptor_.local_endpoint().port()) +
           std::string(path);
  }
  const http::request<http::string_body>& Request() {
    thread_.join();
    return request_;
  }

 private:
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  http::request<http::string_body> request_;
  std::thread thread_;
};

CodeExchange Exchange(const OneShotServer& server) {
  CodeExchange exchange;
  exchange.token_endpoint = server.Url("/token");
  exchange.client_id = "warden console";
  exchange.client_secret = "s3cret:&=";
  exchange.code = "code/1";
  exchange.redirect_uri = "http://127.0.0.1:8080/v1/session/oidc/callback";
  exchange.code_verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  return exchange;
}

TEST(OidcClientTest, ClientSecretBasicSendsTheSecretInTheHeader) {
  OneShotServer server(200, R"({"id_token":"a.b.c"})");
  auto answer = OidcClient().ExchangeCode(Exchange(server));
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->status, 200u);
  EXPECT_EQ(answer->body, R"({"id_token":"a.b.c"})");
  const auto& request = server.Request();
  EXPECT_EQ(request.method(), http::verb::post);
  EXPECT_EQ(request.target(), "/token");
  // RFC 9110 section 7.2: the port is part of Host when not the default.
  EXPECT_EQ(request[http::field::host],
            server.Url("").substr(std::string_view("http://").size()));
  EXPECT_EQ(request[http::field::content_type],
            "application/x-www-form-urlencoded");
  // base64("warden+console:s3cret%3A%26%3D")
  EXPECT_EQ(request[http::field::authorization],
            "Basic d2FyZGVuK2NvbnNvbGU6czNjcmV0JTNBJTI2JTNE");
  EXPECT_EQ(request.body(),
            "grant_type=authorization_code&code=code%2F1&redirect_uri=http%"
            "3A%2F%2F127.0.0.1%3A8080%2Fv1%2Fsession%2Foidc%2Fcallback&code_"
            "verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

TEST(OidcClientTest, ClientSecretPostSendsTheSecretInTheBody) {
  OneShotServer server(400, R"({"error":"invalid_grant"})");
  CodeExchange exchange = Exchange(server);
  exchange.client_secret_basic = false;
  auto answer = OidcClient().ExchangeCode(exchange);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 400u);  // the caller reads the error body
  const auto& request = server.Request();
  EXPECT_EQ(request.count(http::field::authorization), 0u);
  EXPECT_NE(request.body().find("&client_id=warden+console&client_secret="
                                "s3cret%3A%26%3D"),
            std::string::npos)
      << request.body();
}

TEST(OidcClientTest, DocumentsMustBe200AndRedirectsAreNotFollowed) {
  OneShotServer server(302, "");
  auto fetched =
      OidcClient().FetchDocument(server.Url("/.well-known/x?secret=1"), "x");
  ASSERT_FALSE(fetched.ok());
  EXPECT_EQ(fetched.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(fetched.status().message().find("redirects are not followed"),
            std::string::npos);
  EXPECT_EQ(fetched.status().message().find("secret"), std::string::npos);
}

TEST(OidcClientTest, RefusesPlainHttpOffLoopback) {
  auto fetched = OidcClient().FetchDocument(
      "http://idp.example.com/.well-known/openid-configuration",
      "provider metadata");
  ASSERT_FALSE(fetched.ok());
  EXPECT_EQ(fetched.status().code(), StatusCode::kInvalidArgument);
}

TEST(OidcClientTest, OversizeAnswersAreRefused) {
  OneShotServer server(200, std::string(4096, 'x'));
  OidcClientLimits limits;
  limits.max_body_bytes = 1024;
  auto fetched = OidcClient(limits).FetchDocument(server.Url("/"), "x");
  ASSERT_FALSE(fetched.ok());
  EXPECT_EQ(fetched.status().code(), StatusCode::kInvalidArgument);
}

TEST(FormUrlEncode, EncodesReservedBytes) {
  EXPECT_EQ(FormUrlEncode("a b/c?d=e&f~*._-"), "a+b%2Fc%3Fd%3De%26f%7E*._-");
  EXPECT_EQ(FormUrlEncode("\xc3\xa9"), "%C3%A9");
}

}  // namespace
}  // namespace warden::outbound
