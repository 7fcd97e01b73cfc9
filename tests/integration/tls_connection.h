// A TLS client for integration tests: OpenSSL through Boost.Asio, one
// connection kept open across HTTP/1.1 requests, optionally presenting a
// client certificate (mutual TLS).
#ifndef WARDEN_TESTS_INTEGRATION_TLS_CONNECTION_H_
#define WARDEN_TESTS_INTEGRATION_TLS_CONNECTION_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace warden::testing_http {

struct ClientSettings {
  std::string certificate;  // PEM file, or empty
  std::string key;
  int max_version = 0;  // e.g. TLS1_1_VERSION; 0: the library's highest
};

class TlsConnection {
 public:
  // Connects to 127.0.0.1:`port`, verifying the server against `ca_file`.
  TlsConnection(uint16_t port, const std::string& ca_file,
                const ClientSettings& settings = {});

  bool connected() const { return !error_; }
  std::string error() const { return error_.message(); }
  std::string protocol();

  // True when the server presented the certificate in `pem_file`.
  bool ServerPresented(const std::string& pem_file);

  // The status of each exchange, or 0 when it failed; body() is the last
  // response body. `token` is a bearer token, or empty.
  int Get(const std::string& target, const std::string& token = {});
  int Post(const std::string& target, const std::string& token,
           const boost::json::value& body);
  // An application/x-www-form-urlencoded POST (the OAuth endpoints).
  int PostForm(const std::string& target, const std::string& form);
  int Send(boost::beast::http::verb method, const std::string& target,
           const std::string& token, const std::string& body,
           const std::string& content_type = "application/json");
  const std::string& body() const { return body_; }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ssl::context context_;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> stream_;
  boost::beast::flat_buffer buffer_;
  boost::system::error_code error_;
  std::string body_;
};

}  // namespace warden::testing_http

#endif  // WARDEN_TESTS_INTEGRATION_TLS_CONNECTION_H_
