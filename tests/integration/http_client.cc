#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace warden::testing_http {

namespace net = boost::asio;
namespace http = boost::beast::http;
using net::ip::tcp;

struct HttpClient::Connection {
  net::io_context ioc;
  tcp::socket socket{ioc};
  boost::beast::flat_buffer buffer;
};

namespace {

HttpReply ToReply(http::response<http::string_body>& response) {
  HttpReply reply;
  reply.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    reply.headers[name] = std::string(field.value());
  }
  reply.body = std::move(response.body());
  return reply;
}

}  // namespace

std::string HttpReply::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

boost::json::value HttpReply::json() const {
  boost::json::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  return ec ? boost::json::value(nullptr) : value;
}

std::string HttpReply::problem_type() const {
  boost::json::value value = json();
  if (!value.is_object()) return "";
  const boost::json::value* type = value.get_object().if_contains("type");
  return type && type->is_string() ? std::string(type->get_string()) : "";
}

HttpClient::HttpClient(uint16_t port) : port_(port) {}
HttpClient::~HttpClient() = default;

HttpReply HttpClient::Post(std::string_view target, std::string_view token,
                           const boost::json::value& body) {
  return Send("POST", target, token, boost::json::serialize(body));
}

HttpReply HttpClient::Send(
    std::string_view method, std::string_view target, std::string_view token,
    std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& extra_headers) {
  boost::system::error_code ec;
  if (!connection_ || !connection_->socket.is_open()) {
    connection_ = std::make_unique<Connection>();
    connection_->socket.connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
    if (ec) return HttpReply{0, "connect: " + ec.message(), {}, {}};
    ++connections_opened_;
  }
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, "127.0.0.1");
  if (!token.empty()) {
    request.set(http::field::authorization, "Bearer " + std::string(token));
  }
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = std::string(body);
  }
  for (const auto& [name, value] : extra_headers) request.set(name, value);
  request.keep_alive(true);
  request.prepare_payload();
  http::write(connection_->socket, request, ec);
  if (ec) {
    connection_.reset();
    return HttpReply{0, "write: " + ec.message(), {}, {}};
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(connection_->socket, connection_->buffer, parser, ec);
  if (ec) {
    connection_.reset();
    return HttpReply{0, "read: " + ec.message(), {}, {}};
  }
  http::response<http::string_body> response = parser.release();
  if (!response.keep_alive()) connection_.reset();
  return ToReply(response);
}

HttpReply HttpClient::SendRaw(std::string_view bytes) {
  connection_.reset();
  Connection raw;
  boost::system::error_code ec;
  raw.socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_),
                     ec);
  if (ec) return HttpReply{0, "connect: " + ec.message(), {}, {}};
  ++connections_opened_;
  net::write(raw.socket, net::buffer(bytes.data(), bytes.size()), ec);
  // A write error is fine if the server answered early and stopped reading.
  http::response_parser<http::string_body> parser;
  http::read(raw.socket, raw.buffer, parser, ec);
  if (ec) return HttpReply{0, "read: " + ec.message(), {}, {}};
  http::response<http::string_body> response = parser.release();
  return ToReply(response);
}

}  // namespace warden::testing_http
