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

// One request on a fresh connection. May throw (bad_alloc, Beast); the
// caller wraps it.
Result<ApiResponse> Exchange(const std::string& host, const std::string& port,
                             http::request<http::string_body>& request,
                             std::chrono::milliseconds timeout,
                             const std::string& url) {
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  auto fail = [&](std::string_view what) -> Status {
    return Unavailable("cannot " + std::string(what) + " " + url + ": " +
                       ec.message());
  };

  tcp::resolver::results_type endpoints;
  resolver.async_resolve(
      host, port, [&](beast::error_code e, tcp::resolver::results_type r) {
        ec = e;
        endpoints = std::move(r);
      });
  RunToCompletion(ioc);
  if (ec) return fail("resolve");

  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code e, auto) { ec = e; });
  RunToCompletion(ioc);
  if (ec) return fail("connect to");

  http::async_write(stream, request,
                    [&](beast::error_code e, size_t) { ec = e; });
  RunToCompletion(ioc);
  if (ec) return fail("send request to");

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  http::async_read(stream, buffer, parser,
                   [&](beast::error_code e, size_t) { ec = e; });
  RunToCompletion(ioc);
  if (ec) return fail("read response from");

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  auto& message = parser.get();
  ApiResponse response;
  response.status = static_cast<int>(message.result_int());
  response.content_type = std::string(message[http::field::content_type]);
  response.body = std::move(message.body());
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

ApiClient::ApiClient(ApiClientOptions options, std::string host,
                     std::string port, std::string base_path)
    : options_(std::move(options)),
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
  if (url.scheme() != "http") {
    return InvalidArgument("server URL \"" + options.url +
                           "\": only http:// is supported");
  }
  std::string host(url.encoded_host());
  if (host.empty()) {
    return InvalidArgument("server URL \"" + options.url + "\" has no host");
  }
  // A bracketed IPv6 literal is resolved without its brackets.
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string port = url.has_port() ? std::string(url.port()) : "80";
  std::string base(url.encoded_path());
  while (!base.empty() && base.back() == '/') base.pop_back();
  return std::unique_ptr<ApiClient>(new ApiClient(
      std::move(options), std::move(host), std::move(port), std::move(base)));
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
    return Exchange(host_, port_, request, options_.timeout, options_.url);
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
