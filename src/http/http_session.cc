// HTTP/1.1 (RFC 9112) connection handling on Boost.Beast.
#include "http/http_session.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
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

// Bytes asked of the kernel per read on the one-I/O-thread path; a short
// read means the receive queue was emptied.
constexpr size_t kReadChunk = 4096;

HttpSession::HttpSession(net::ip::tcp::socket&& socket,
                         RequestPipeline& pipeline, InFlightRequests& in_flight,
                         bool one_io_thread, HttpTimeouts timeouts,
                         ConnectionLimit::Slot slot, ConnectionPeer peer)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      one_io_thread_(one_io_thread),
      timeouts_(timeouts),
      pipeline_(pipeline),
      in_flight_(in_flight),
      remote_(peer.remote.empty() ? RemoteOf(socket_) : std::move(peer.remote)),
      client_certificate_(std::move(peer.client_certificate)),
      slot_(std::move(slot)) {}

void HttpSession::Run() {
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    // Synchronous reads and writes return would_block instead of waiting.
    beast::error_code ec;
    self->socket_.non_blocking(true, ec);
    if (ec) return self->DoClose();
    self->DoRead();
  });
}

void HttpSession::DoRead() {
  // A fresh parser per request (Beast parsers parse one message; this one
  // allocates nothing until it stores the request's parts), so limits
  // apply to each request separately.
  parser_.emplace();
  parser_->header_limit(kMaxRequestHeaderBytes);
  parser_->body_limit(kMaxRequestBodyBytes);
  SetDeadline(timeouts_.read);
  if (!one_io_thread_) {
    http::async_read(
        socket_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
    return;
  }
  if (buffer_.size() > 0 || !drained_) return ReadAvailable();
  WaitReadable();
}

void HttpSession::WaitReadable() {
  socket_.async_wait(
      net::socket_base::wait_read,
      beast::bind_front_handler(&HttpSession::OnReadable, shared_from_this()));
}

void HttpSession::OnReadable(beast::error_code ec) {
  if (ec) return OnReadError(ec);
  drained_ = false;
  ReadAvailable();
}

// Parses what is buffered and reads what the kernel holds, without
// blocking, until a request is complete (dispatched), the socket has
// nothing more (wait again), or an error.
void HttpSession::ReadAvailable() {
  beast::error_code ec;
  for (;;) {
    while (buffer_.size() > 0 && !parser_->is_done()) {
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec || used == 0) break;
    }
    if (ec == http::error::need_more) ec = {};
    if (ec) return OnReadError(ec);
    if (parser_->is_done()) return Dispatch();
    // A short read emptied the receive queue: more comes with a new event.
    if (drained_) return WaitReadable();
    const size_t n = socket_.read_some(buffer_.prepare(kReadChunk), ec);
    buffer_.commit(n);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      drained_ = true;
      return WaitReadable();
    }
    if (ec == net::error::eof) {
      if (!parser_->got_some()) return OnReadError(http::error::end_of_stream);
      parser_->put_eof(ec);  // a body delimited by the end of the stream
      if (ec) return OnReadError(ec);
      return Dispatch();
    }
    if (ec) return OnReadError(ec);
    drained_ = n < kReadChunk;
  }
}

void HttpSession::OnRead(beast::error_code ec, size_t /*bytes*/) {
  if (ec) return OnReadError(ec);
  Dispatch();
}

void HttpSession::OnReadError(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == net::error::bad_descriptor) {
    return DoClose();
  }
  AnswerReadError(ec);
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
  if (refusal_) {
    ApiResponse refusal = std::move(*refusal_);
    refusal_.reset();
    return Respond(std::move(refusal), /*keep_alive=*/false);
  }
  ticket_ = in_flight_.Begin();
  // No read is pending while the request is handled (a worker, an fsync):
  // the read deadline must not close the connection under its answer.
  // Respond sets the write deadline; the next read sets its own.
  deadline_ = SteadyClock::time_point::max();
  const bool keep_alive = parser_->keep_alive();
  ApiRequest request = parser_->Release();
  request.remote = remote_;
  request.client_certificate = client_certificate_;
  // The completion may run on a worker thread; hop back to the executor.
  pipeline_.Submit(std::move(request), [self = shared_from_this(),
                                        keep_alive](ApiResponse r) {
    // Inline routes complete on the executor already: dispatch runs the
    // write at once instead of queueing another handler.
    net::dispatch(self->socket_.get_executor(),
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
  // One gather write: header and body leave in a single sendmsg, at once
  // when the socket buffer has room (the usual case).
  beast::error_code ec;
  const size_t sent =
      net::write(socket_,
                 std::array<net::const_buffer, 2>{net::buffer(out_header_),
                                                  net::buffer(out_body_)},
                 ec);
  if (ec != net::error::would_block && ec != net::error::try_again) {
    return AfterWrite(keep_alive, ec);
  }
  // The client is not reading: the rest asynchronously, under the write
  // timeout.
  const size_t header_sent = std::min(sent, out_header_.size());
  const std::array<net::const_buffer, 2> rest = {
      net::buffer(out_header_) + header_sent,
      net::buffer(out_body_) + (sent - header_sent)};
  SetDeadline(timeouts_.write);
  net::async_write(socket_, rest,
                   beast::bind_front_handler(&HttpSession::OnWrite,
                                             shared_from_this(), keep_alive));
}

// The stream owns the socket from here on; the session ends when this
// handler returns (nothing else holds it).
void HttpSession::HandOver(ApiResponse response) {
  ticket_.Release();
  handed_over_ = true;
  timer_.cancel();
  beast::error_code ec;
  socket_.non_blocking(false, ec);
  response.stream->Start(beast::tcp_stream(std::move(socket_)),
                         StreamHeader(response), std::move(slot_));
}

void HttpSession::OnWrite(bool keep_alive, beast::error_code ec,
                          size_t /*bytes*/) {
  AfterWrite(keep_alive, ec);
}

void HttpSession::AfterWrite(bool keep_alive, beast::error_code ec) {
  ticket_.Release();
  if (!ec && linger_after_write_) return DoLinger();
  if (ec || !keep_alive) return DoClose();
  if (!one_io_thread_) return DoRead();
  // The next request is read from the back of the handler queue, after the
  // other ready connections: by then a busy client has usually sent it, so
  // one recv finds it, where waiting for readiness at once would cost an
  // epoll_ctl (Asio re-arms the socket for every wait) and an asynchronous
  // read a failed speculative recv. An idle client costs one failed recv
  // and the wait. (This also keeps a pipelining client from growing the
  // call stack.)
  drained_ = false;
  net::post(
      socket_.get_executor(),
      beast::bind_front_handler(&HttpSession::DoRead, shared_from_this()));
}

void HttpSession::DoLinger() {
  DoClose();
  SetDeadline(timeouts_.linger);
  socket_.async_read_some(
      net::buffer(linger_buffer_),
      beast::bind_front_handler(&HttpSession::OnLinger, shared_from_this()));
}

void HttpSession::OnLinger(beast::error_code ec, size_t bytes) {
  lingered_bytes_ += bytes;
  if (ec || lingered_bytes_ > kMaxLingerBytes) return;  // closes on release
  socket_.async_read_some(
      net::buffer(linger_buffer_),
      beast::bind_front_handler(&HttpSession::OnLinger, shared_from_this()));
}

void HttpSession::DoClose() {
  beast::error_code ec;
  socket_.shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

// Moves the deadline; the timer is re-armed only if it would fire too late
// (or is not armed). Firing early is harmless: OnDeadline re-arms.
void HttpSession::SetDeadline(SteadyClock::duration timeout) {
  deadline_ = SteadyClock::now() + timeout;
  if (timer_armed_ && timer_.expiry() <= deadline_) return;
  ArmTimer();
}

void HttpSession::ArmTimer() {
  timer_armed_ = true;
  timer_.expires_at(deadline_);  // a pending wait completes as aborted
  // A weak reference: an idle timer must not keep a closed connection.
  timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (auto self = weak.lock()) self->OnDeadline(ec);
  });
}

void HttpSession::OnDeadline(beast::error_code ec) {
  if (ec == net::error::operation_aborted || handed_over_) return;
  timer_armed_ = false;
  if (SteadyClock::now() < deadline_) return ArmTimer();
  // The pending read, write or linger completes with operation_aborted.
  socket_.close(ec);
}

}  // namespace warden
