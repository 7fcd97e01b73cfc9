// One HTTP/1.1 POST (RFC 9112) with Boost.Beast over plain TCP.
#include "outbound/webhook_sender.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <exception>

namespace warden::outbound {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct Endpoint {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

Result<Endpoint> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return InvalidArgument("webhook url must start with http://");
  }
  std::string_view rest = url.substr(kScheme.size());
  Endpoint endpoint;
  const size_t slash = rest.find('/');
  if (slash != std::string_view::npos) endpoint.target = rest.substr(slash);
  std::string_view authority = rest.substr(0, slash);
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    endpoint.port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  endpoint.host = authority;
  if (endpoint.host.empty()) return InvalidArgument("webhook url has no host");
  return endpoint;
}

}  // namespace

Status WebhookSender::Post(const std::string& url,
                           const std::vector<HttpHeader>& headers,
                           std::string_view content_type,
                           std::string_view body) const {
  WARDEN_ASSIGN_OR_RETURN(Endpoint endpoint, ParseHttpUrl(url));
  try {
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(timeout_);
    stream.connect(resolver.resolve(endpoint.host, endpoint.port));
    http::request<http::string_body> request(http::verb::post, endpoint.target,
                                             11);
    request.set(http::field::host, endpoint.host);
    request.set(http::field::content_type, content_type);
    for (const HttpHeader& header : headers) {
      request.set(header.name, header.value);
    }
    request.body() = std::string(body);
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    if (response.result_int() / 100 != 2) {
      return Unavailable("webhook receiver answered " +
                         std::to_string(response.result_int()));
    }
    return Status::Ok();
  } catch (const std::exception& e) {
    return Unavailable(std::string("webhook delivery: ") + e.what());
  }
}

}  // namespace warden::outbound
