// HTTP/1.1 (RFC 9112) connection handling on Boost.Beast.
#include "http/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "core/id.h"
#include "core/status.h"
#include "http/problem.h"
#include "http/response_header.h"
#include "http/response_stream.h"

namespace warden {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

std::string RemoteOf(const net::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

template <typename Field>
std::string HeaderValue(const http::request<http::string_body>& request,
                        Field field) {
  auto it = request.find(field);
  return it == request.end() ? std::string() : std::string(it->value());
}

// The status line and headers of a streaming response: no Content-Length
// (the body ends when the connection closes, RFC 9112 section 6.3).
std::string StreamHeader(const ApiResponse& response) {
  std::string header =
      "HTTP/1.1 " + std::to_string(response.status) +
      " OK\r\nServer: warden\r\nContent-Type: " + response.content_type +
      "\r\nCache-Control: no-cache\r\nConnection: close\r\n";
  for (const auto& [name, value] : response.headers) {
    header += name + ": " + value + "\r\n";
  }
  return header + "\r\n";
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket,
                         RequestPipeline& pipeline, InFlightRequests& in_flight)
    : stream_(std::move(socket)),
      pipeline_(pipeline),
      in_flight_(in_flight),
      remote_(RemoteOf(stream_.socket())) {}

void HttpSession::Run() {
  net::dispatch(
      stream_.get_executor(),
      beast::bind_front_handler(&HttpSession::DoRead, shared_from_this()));
}

void HttpSession::DoRead() {
  // A fresh parser per request: limits apply to each request separately.
  parser_.emplace();
  parser_->header_limit(kMaxRequestHeaderBytes);
  parser_->body_limit(kMaxRequestBodyBytes);
  stream_.expires_after(kRequestReadTimeout);
  http::async_read(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
}

void HttpSession::OnRead(beast::error_code ec, size_t /*bytes*/) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::eof ||
      ec == net::error::connection_reset) {
    return DoClose();
  }
  if (ec) return AnswerReadError(ec);
  Dispatch();
}

// Oversized or unparsable requests get a problem answer and the connection
// is closed: the rest of the stream cannot be trusted to be framed.
void HttpSession::AnswerReadError(beast::error_code ec) {
  std::string request_id = NewId(SystemClock().Now());
  ApiResponse response;
  if (ec == http::error::body_limit) {
    response = ProblemResponse(
        Status(StatusCode::kPayloadTooLarge,
               "request body exceeds " + std::to_string(kMaxRequestBodyBytes) +
                   " bytes",
               "payload-too-large"),
        request_id, "");
  } else if (ec == http::error::header_limit) {
    response = ProblemResponse(
        431, "header-too-large", "Request header fields too large",
        "request header exceeds " + std::to_string(kMaxRequestHeaderBytes) +
            " bytes",
        request_id, "");
  } else {
    response = ProblemResponse(
        InvalidArgument("malformed HTTP request: " + ec.message(),
                        "malformed-request"),
        request_id, "");
  }
  response.headers.emplace_back("X-Request-Id", request_id);
  linger_after_write_ = true;
  Respond(std::move(response), /*keep_alive=*/false);
}

void HttpSession::Dispatch() {
  ticket_ = in_flight_.Begin();
  http::request<http::string_body> message = parser_->release();
  ApiRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.authorization = HeaderValue(message, http::field::authorization);
  request.if_match = HeaderValue(message, http::field::if_match);
  request.if_none_match = HeaderValue(message, http::field::if_none_match);
  request.api_key = HeaderValue(message, "X-API-Key");
  request.last_event_id = HeaderValue(message, "Last-Event-ID");
  request.body = std::move(message.body());
  request.remote = remote_;
  const bool keep_alive = message.keep_alive();
  // The completion may run on a worker thread; hop back to the strand.
  pipeline_.Submit(std::move(request), [self = shared_from_this(),
                                        keep_alive](ApiResponse r) {
    // Inline routes complete on the strand already: dispatch runs the
    // write at once instead of queueing another handler.
    net::dispatch(self->stream_.get_executor(),
                  [self, keep_alive, r = std::move(r)]() mutable {
                    self->Respond(std::move(r), keep_alive);
                  });
  });
}

void HttpSession::Respond(ApiResponse response, bool keep_alive) {
  if (response.stream) return HandOver(std::move(response));
  keep_alive = keep_alive && !in_flight_.draining();
  out_body_ = std::move(response.body);
  if (!ResponseHasContent(response.status)) out_body_.clear();
  RenderResponseHeader(response, keep_alive, out_body_.size(), &out_header_);
  stream_.expires_after(kResponseWriteTimeout);
  // One gather write: header and body leave in a single sendmsg.
  const std::array<net::const_buffer, 2> buffers = {net::buffer(out_header_),
                                                    net::buffer(out_body_)};
  net::async_write(stream_, buffers,
                   beast::bind_front_handler(&HttpSession::OnWrite,
                                             shared_from_this(), keep_alive));
}

// The stream owns the socket from here on; the session ends when this
// handler returns (nothing else holds it).
void HttpSession::HandOver(ApiResponse response) {
  ticket_.Release();
  stream_.expires_never();
  response.stream->Start(std::move(stream_), StreamHeader(response));
}

void HttpSession::OnWrite(bool keep_alive, beast::error_code ec,
                          size_t /*bytes*/) {
  ticket_.Release();
  if (!ec && linger_after_write_) return DoLinger();
  if (ec || !keep_alive) return DoClose();
  DoRead();
}

void HttpSession::DoLinger() {
  DoClose();
  stream_.expires_after(kLingerTimeout);
  stream_.async_read_some(
      net::buffer(linger_buffer_),
      beast::bind_front_handler(&HttpSession::OnLinger, shared_from_this()));
}

void HttpSession::OnLinger(beast::error_code ec, size_t bytes) {
  lingered_bytes_ += bytes;
  if (ec || lingered_bytes_ > kMaxLingerBytes) return;  // closes on release
  stream_.async_read_some(
      net::buffer(linger_buffer_),
      beast::bind_front_handler(&HttpSession::OnLinger, shared_from_this()));
}

void HttpSession::DoClose() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace warden
