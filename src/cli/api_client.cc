// HTTP/1.1 exchange with Beast. Synchronous for the caller, asynchronous
// inside: Beast's tcp_stream honours expires_after() only for async
// operations, and the deadline is what keeps a hung server from hanging the
// CLI. Every Beast/Asio/JSON call that can throw is wrapped here.
#include "cli/api_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <utility>

#include "cli/exit_codes.h"

namespace warden::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr int kHttp11 = 11;
// Problem bodies are read only for their slug and detail.
constexpr size_t kMaxDetailChars = 4000;

http::verb ToVerb(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return http::verb::get;
    case HttpMethod::kPost:
      return http::verb::post;
    case HttpMethod::kPut:
      return http::verb::put;
    case HttpMethod::kPatch:
      return http::verb::patch;
    case HttpMethod::kDelete:
      return http::verb::delete_;
  }
  return http::verb::get;
}

// Runs the io_context until the pending operation completes; the stream's
// deadline guarantees it does.
void RunToCompletion(asio::io_context& ioc) {
  ioc.restart();
  ioc.run();
}

// Where and how to connect.
struct Endpoint {
  const std::string& host;
  const std::string& port;
  const std::string& url;  // for messages
  std::chrono::milliseconds timeout;
};

// Resolves and connects `stream` (a tcp_stream) under the deadline.
Status Connect(asio::io_context& ioc, beast::tcp_stream& stream,
               const Endpoint& at) {
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(
      at.host, at.port,
      [&](beast::error_code e, tcp::resolver::results_type r) {
        ec = e;
        endpoints = std::move(r);
      });
  RunToCompletion(ioc);
  if (ec) return Unavailable("cannot resolve " + at.url + ": " + ec.message());
  stream.expires_after(at.timeout);
  stream.async_connect(endpoints, [&](beast::error_code e, auto) { ec = e; });
  RunToCompletion(ioc);
  if (ec)
    return Unavailable("cannot connect to " + at.url + ": " + ec.message());
  return Status::Ok();
}

// Writes the request and reads the response on a connected stream.
template <class Stream>
Result<ApiResponse> Exchange(asio::io_context& ioc, Stream& stream,
                             http::request<http::string_body>& request,
                             const Endpoint& at) {
  beast::error_code ec;
  http::async_write(stream, request,
                    [&](beast::error_code e, size_t) { ec = e; });
  RunToCompletion(ioc);
  if (ec) {
    return Unavailable("cannot send request to " + at.url + ": " +
                       ec.message());
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  http::async_read(stream, buffer, parser,
                   [&](beast::error_code e, size_t) { ec = e; });
  RunToCompletion(ioc);
  if (ec) {
    return Unavailable("cannot read response from " + at.url + ": " +
                       ec.message());
  }
  auto& message = parser.get();
  ApiResponse response;
  response.status = static_cast<int>(message.result_int());
  response.content_type = std::string(message[http::field::content_type]);
  response.body = std::move(message.body());
  return response;
}

// One request on a fresh plain connection. May throw (bad_alloc, Beast);
// the caller wraps it.
Result<ApiResponse> PlainExchange(http::request<http::string_body>& request,
                                  const Endpoint& at) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  WARDEN_RETURN_IF_ERROR(Connect(ioc, stream, at));
  Result<ApiResponse> response = Exchange(ioc, stream, request, at);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return response;
}

// The client TLS context: the system's CAs plus `ca_file`, peer verified.
Result<std::unique_ptr<ssl::context>> ClientTlsContext(
    const std::string& ca_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  beast::error_code ec;
  context->set_default_verify_paths(ec);
  if (!ca_file.empty() && context->load_verify_file(ca_file, ec)) {
    return InvalidArgument("--ca-file " + ca_file + ": " + ec.message());
  }
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

// Names the server for SNI and for certificate verification: its DNS name
// or IP address must be in the certificate.
Status ExpectServerName(SSL* ssl, const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  const bool is_ip = !ec;
  if (!is_ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
    return InvalidArgument("server name " + host + " cannot be sent in TLS");
  }
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  const int set = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                        : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  if (set != 1) return InvalidArgument("cannot verify server name " + host);
  return Status::Ok();
}

// One request on a fresh TLS connection. May throw; the caller wraps it.
Result<ApiResponse> TlsExchange(http::request<http::string_body>& request,
                                const Endpoint& at,
                                const std::string& ca_file) {
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<ssl::context> context,
                          ClientTlsContext(ca_file));
  asio::io_context ioc;
  beast::ssl_stream<beast::tcp_stream> stream(ioc, *context);
  WARDEN_RETURN_IF_ERROR(ExpectServerName(stream.native_handle(), at.host));
  WARDEN_RETURN_IF_ERROR(Connect(ioc, beast::get_lowest_layer(stream), at));
  beast::error_code ec;
  stream.async_handshake(ssl::stream_base::client,
                         [&](beast::error_code e) { ec = e; });
  RunToCompletion(ioc);
  if (ec) {
    return Unavailable("TLS handshake with " + at.url +
                       " failed: " + ec.message());
  }
  Result<ApiResponse> response = Exchange(ioc, stream, request, at);
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both,
                                                    ignored);
  return response;
}

std::string StringField(const boost::json::object& object,
                        std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string().subview().substr(0, kMaxDetailChars));
}

// "https://warden.dev/problems/validation-failed" -> "validation-failed".
std::string ProblemSlug(std::string_view type) {
  if (type.empty() || type == "about:blank") return {};
  size_t slash = type.find_last_of("/#:");
  return std::string(slash == std::string_view::npos ? type
                                                     : type.substr(slash + 1));
}

}  // namespace

ApiClient::ApiClient(ApiClientOptions options, bool tls, std::string host,
                     std::string port, std::string base_path)
    : options_(std::move(options)),
      tls_(tls),
      host_(std::move(host)),
      port_(std::move(port)),
      base_path_(std::move(base_path)) {}

Result<std::unique_ptr<ApiClient>> ApiClient::Create(ApiClientOptions options) {
  auto parsed = boost::urls::parse_absolute_uri(options.url);
  if (!parsed) {
    return InvalidArgument("server URL \"" + options.url +
                           "\" is not an absolute URL (e.g. "
                           "http://127.0.0.1:8080)");
  }
  const boost::urls::url_view& url = *parsed;
  if (url.scheme() != "http" && url.scheme() != "https") {
    return InvalidArgument("server URL \"" + options.url +
                           "\": only http:// and https:// are supported");
  }
  const bool tls = url.scheme() == "https";
  std::string host(url.encoded_host());
  if (host.empty()) {
    return InvalidArgument("server URL \"" + options.url + "\" has no host");
  }
  // A bracketed IPv6 literal is resolved without its brackets.
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string port =
      url.has_port() ? std::string(url.port()) : (tls ? "443" : "80");
  std::string base(url.encoded_path());
  while (!base.empty() && base.back() == '/') base.pop_back();
  return std::unique_ptr<ApiClient>(
      new ApiClient(std::move(options), tls, std::move(host), std::move(port),
                    std::move(base)));
}

Result<ApiResponse> ApiClient::Send(HttpMethod method, std::string_view target,
                                    std::string_view json_body,
                                    std::string_view if_match) const {
  try {
    http::request<http::string_body> request(
        ToVerb(method), base_path_ + std::string(target), kHttp11);
    request.set(http::field::host, host_ + ":" + port_);
    request.set(http::field::user_agent, "warden-cli");
    request.set(http::field::accept, "application/json");
    if (!options_.token.empty()) {
      request.set(http::field::authorization, "Bearer " + options_.token);
    }
    if (!if_match.empty()) request.set(http::field::if_match, if_match);
    if (!json_body.empty()) {
      request.set(http::field::content_type, "application/json");
      request.body() = std::string(json_body);
    }
    request.prepare_payload();
    const Endpoint at{host_, port_, options_.url, options_.timeout};
    return tls_ ? TlsExchange(request, at, options_.ca_file)
                : PlainExchange(request, at);
  } catch (const std::exception& e) {
    return Unavailable("request to " + options_.url + " failed: " + e.what());
  }
}

Result<std::string> ApiClient::Call(HttpMethod method, std::string_view target,
                                    std::string_view json_body,
                                    std::string_view if_match) const {
  WARDEN_ASSIGN_OR_RETURN(ApiResponse response,
                          Send(method, target, json_body, if_match));
  if (response.status >= 200 && response.status < 300) {
    return std::move(response.body);
  }
  return StatusFromResponse(response);
}

Status StatusFromResponse(const ApiResponse& response) {
  StatusCode code = StatusCodeFromHttp(response.status);
  if (code == StatusCode::kOk) code = StatusCode::kInternal;
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response.body, ec);
  std::string slug, detail;
  if (!ec && body.is_object()) {
    const auto& object = body.get_object();
    slug = ProblemSlug(StringField(object, "type"));
    detail = StringField(object, "detail");
    if (detail.empty()) detail = StringField(object, "title");
  }
  if (detail.empty()) {
    detail = "server answered HTTP " + std::to_string(response.status);
  }
  return Status(code, std::move(detail), std::move(slug));
}

}  // namespace warden::cli
