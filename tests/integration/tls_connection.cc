#include "tls_connection.h"

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>

namespace warden::testing_http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using net::ip::tcp;

TlsConnection::TlsConnection(uint16_t port, const std::string& ca_file,
                             const ClientSettings& settings)
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

std::string TlsConnection::protocol() {
  return SSL_get_version(stream_->native_handle());
}

bool TlsConnection::ServerPresented(const std::string& pem_file) {
  X509* presented = SSL_get0_peer_certificate(stream_->native_handle());
  FILE* file = std::fopen(pem_file.c_str(), "r");
  if (presented == nullptr || file == nullptr) {
    if (file != nullptr) std::fclose(file);
    return false;
  }
  X509* expected = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  const bool same = expected != nullptr && X509_cmp(presented, expected) == 0;
  X509_free(expected);
  return same;
}

int TlsConnection::Get(const std::string& target, const std::string& token) {
  return Send(http::verb::get, target, token, "");
}

int TlsConnection::Post(const std::string& target, const std::string& token,
                        const boost::json::value& body) {
  return Send(http::verb::post, target, token, boost::json::serialize(body));
}

int TlsConnection::PostForm(const std::string& target,
                            const std::string& form) {
  return Send(http::verb::post, target, "", form,
              "application/x-www-form-urlencoded");
}

int TlsConnection::Send(http::verb method, const std::string& target,
                        const std::string& token, const std::string& body,
                        const std::string& content_type) {
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!token.empty()) {
    request.set(http::field::authorization, "Bearer " + token);
  }
  if (!body.empty()) {
    request.set(http::field::content_type, content_type);
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

}  // namespace warden::testing_http
