// One bounded HTTP/1.1 exchange (RFC 9110, RFC 9112) with Boost.Beast over
// TCP or TLS.
#include "outbound/http_exchange.h"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <exception>

namespace warden::outbound {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Parser = http::response_parser<http::string_body>;

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string host_header;  // RFC 9110 section 7.2: uri-host [":" port]
  std::string path;         // origin-form: path and query
  std::string shown;        // RedactedUrl(): what messages name
};

std::string Redacted(const boost::urls::url_view& uri) {
  std::string out =
      std::string(uri.scheme()) + "://" + std::string(uri.encoded_host());
  if (uri.has_port()) out += ":" + std::string(uri.port());
  out += std::string(uri.encoded_path());
  if (uri.has_query()) out += "?...";
  return out;
}

Status BadUri(std::string_view what, std::string_view shown,
              std::string_view why) {
  return InvalidArgument(
      std::string(what) + " '" + std::string(shown) + "': " + std::string(why),
      "validation-failed");
}

// Plain http lets anyone on the path read or change the exchange; it is
// accepted only where no path exists (loopback).
bool IsLoopback(const boost::urls::url_view& uri) {
  switch (uri.host_type()) {
    case boost::urls::host_type::ipv4:
      return uri.host_ipv4_address().to_uint() >> 24 == 127;
    case boost::urls::host_type::ipv6:
      return uri.host_ipv6_address().is_loopback();
    case boost::urls::host_type::name:
      return uri.encoded_host() == "localhost";
    default:
      return false;
  }
}

Result<Target> ParseTarget(const std::string& uri, std::string_view what) {
  auto parsed = boost::urls::parse_absolute_uri(uri);
  if (!parsed) return BadUri(what, "(not shown)", "not an absolute URL");
  const std::string shown = Redacted(*parsed);
  Target target;
  if (parsed->scheme() == "https") {
    target.tls = true;
  } else if (parsed->scheme() != "http") {
    return BadUri(what, shown, "scheme must be https (or http on loopback)");
  } else if (!IsLoopback(*parsed)) {
    return BadUri(what, shown,
                  "plain http is accepted only on loopback; use https");
  }
  target.shown = shown;
  target.host = parsed->host_address();
  if (target.host.empty()) return BadUri(what, shown, "no host");
  target.port = parsed->has_port() ? std::string(parsed->port())
                                   : (target.tls ? "443" : "80");
  target.path = parsed->encoded_path().empty()
                    ? "/"
                    : std::string(parsed->encoded_path());
  if (parsed->has_query()) {
    target.path += "?" + std::string(parsed->encoded_query());
  }
  // Virtual hosts (and servers that build URLs from Host, as OpenID
  // providers do for their metadata) need the port when it is not the
  // scheme's default.
  target.host_header = std::string(parsed->encoded_host());
  if (parsed->has_port()) target.host_header += ":" + target.port;
  return target;
}

http::request<http::string_body> BuildRequest(const HttpRequest& spec,
                                              const Target& target) {
  const bool post = spec.method == HttpRequest::Method::kPost;
  http::request<http::string_body> request{
      post ? http::verb::post : http::verb::get, target.path, 11};
  request.set(http::field::host, target.host_header);
  request.set(http::field::user_agent, "warden");
  for (const HttpHeader& header : spec.headers) {
    request.set(header.name, header.value);
  }
  if (post) {
    request.set(http::field::content_type, spec.content_type);
    request.body() = spec.body;
    request.prepare_payload();
  }
  return request;
}

template <class Stream>
asio::awaitable<void> Exchange(Stream& stream,
                               const http::request<http::string_body>& request,
                               Parser& parser) {
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
}

asio::awaitable<void> Run(const Target& target,
                          const http::request<http::string_body>& request,
                          asio::ssl::context& tls, Parser& parser) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(target.host, target.port,
                                                   asio::use_awaitable);
  if (!target.tls) {
    beast::tcp_stream stream(executor);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    co_await Exchange(stream, request, parser);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
  // SNI, and the certificate must name the host.
  SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str());
  stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
  co_await beast::get_lowest_layer(stream).async_connect(endpoints,
                                                         asio::use_awaitable);
  co_await stream.async_handshake(asio::ssl::stream_base::client,
                                  asio::use_awaitable);
  co_await Exchange(stream, request, parser);
}

// Runs the exchange under one deadline; rethrows its failure.
void RunBounded(const Target& target,
                const http::request<http::string_body>& request,
                asio::ssl::context& tls, Parser& parser,
                std::chrono::milliseconds timeout, bool& finished) {
  std::exception_ptr failure;
  asio::io_context ioc;  // destroyed first: cancels a pending exchange
  asio::co_spawn(ioc, Run(target, request, tls, parser),
                 [&failure, &finished](std::exception_ptr e) {
                   failure = e;
                   finished = true;
                 });
  ioc.run_for(timeout);
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::string RedactedUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  return parsed ? Redacted(*parsed) : "(not shown)";
}

Result<HttpAnswer> ExchangeHttp(const HttpRequest& spec,
                                const HttpExchangeLimits& limits,
                                std::string_view what) {
  WARDEN_ASSIGN_OR_RETURN(Target target, ParseTarget(spec.url, what));
  const std::string context =
      (spec.method == HttpRequest::Method::kPost ? "POST " : "GET ") +
      target.shown + ": ";
  Parser parser;
  parser.body_limit(limits.max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  bool finished = false;
  try {
    const auto request = BuildRequest(spec, target);
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.set_default_verify_paths();
    tls.set_verify_mode(asio::ssl::verify_peer);
    RunBounded(target, request, tls, parser, limits.timeout, finished);
  } catch (const boost::system::system_error& e) {
    if (e.code() == http::error::body_limit) {
      return InvalidArgument(context + "body larger than " +
                                 std::to_string(limits.max_body_bytes) +
                                 " bytes",
                             "validation-failed");
    }
    return Unavailable(context + e.code().message());
  } catch (const std::exception& e) {
    return Unavailable(context + e.what());
  }
  if (!finished) {
    return Unavailable(context + "timed out after " +
                       std::to_string(limits.timeout.count()) + " ms");
  }
  HttpAnswer answer;
  answer.status = parser.get().result_int();
  answer.body = std::move(parser.get().body());
  return answer;
}

}  // namespace warden::outbound
