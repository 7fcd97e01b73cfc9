// One HTTP/1.1 connection (after Beast's advanced server example): reads a
// request under size and time limits, hands it to the RequestPipeline, and
// writes the response back on the connection's executor; repeats while the
// connection is kept alive.
//
// Cost per request (the OFREP path answers ~100,000 requests/s on one core,
// so a syscall or a queued handler is a measurable share):
// - Responses are written synchronously on the non-blocking socket (one
//   sendmsg); only a client that stops reading gets an asynchronous write.
// - With one I/O thread, after a response the session reads the next
//   request from the back of the handler queue, after the other ready
//   connections: a busy client has usually sent it by then, so one recv
//   finds it. Only when the socket is empty does it wait for readiness
//   (async_wait; Asio re-arms the socket in epoll, one epoll_ctl, for each
//   wait, and an asynchronous read would first try a recv that fails).
//   So a request costs one queued handler, one recv and one sendmsg, and
//   connections are served in turn (this keeps the latency tail at about
//   one round of the ready connections). With several I/O threads a
//   readiness event can race with the wait being queued, so there the
//   session uses Beast's asynchronous read.
// - Timeouts: one deadline per connection, moved by a plain store per
//   phase; the connection's one timer is re-armed only when it fires
//   before the deadline or the deadline moves earlier (no timer arm and
//   cancel per read and per write). On expiry the socket is closed.
//
// Lifetime: owned by shared_ptr; pending socket operations (and a request
// out on the worker pool) keep it alive; the deadline timer does not. All
// members are touched only on the socket's executor: its strand, or the one
// I/O thread (see Listener).
#ifndef WARDEN_HTTP_HTTP_SESSION_H_
#define WARDEN_HTTP_HTTP_SESSION_H_

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "http/api_exchange.h"
#include "http/api_request_parser.h"
#include "http/connection_limit.h"
#include "http/connection_peer.h"
#include "http/in_flight_requests.h"
#include "http/request_pipeline.h"

namespace warden {

// Every request Warden serves has a short request line and a handful of
// headers (a bearer token is ~50 bytes); 8 KiB is what common proxies allow
// and keeps a slow-loris client from pinning much memory per connection.
inline constexpr size_t kMaxRequestHeaderBytes = 8 * 1024;
// Request bodies are single resource records; the largest legitimate one
// (a team with 1000 members) is far below 1 MiB.
inline constexpr size_t kMaxRequestBodyBytes = 1024 * 1024;
// Time to receive one complete request, including the idle wait between
// keep-alive requests: frees sockets held by idle or stalled clients.
inline constexpr std::chrono::seconds kRequestReadTimeout{30};
// Time to deliver one response to a client that stopped reading.
inline constexpr std::chrono::seconds kResponseWriteTimeout{30};
// After refusing a request mid-stream (413, 431, 400) the client may still be
// sending; closing with unread input makes the kernel send RST, which can
// destroy the error response in flight. So the rest is read and discarded
// ("lingering close") for at most this long and this many bytes.
inline constexpr std::chrono::seconds kLingerTimeout{5};
inline constexpr size_t kMaxLingerBytes = 8 * 1024 * 1024;

// The time limits of one connection (tests shorten them).
struct HttpTimeouts {
  std::chrono::steady_clock::duration read = kRequestReadTimeout;
  std::chrono::steady_clock::duration write = kResponseWriteTimeout;
  std::chrono::steady_clock::duration linger = kLingerTimeout;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `one_io_thread`: REQUIRES that at most one thread runs the socket's
  // io_context (enables the wait-then-read path above).
  // `slot`: the connection's place under the server's connection cap
  // (held until the socket closes, or handed to the stream it becomes).
  // `peer`: set when the socket is a TLS tunnel's plaintext end (the
  // socket's own peer is then the tunnel).
  HttpSession(boost::asio::ip::tcp::socket&& socket, RequestPipeline& pipeline,
              InFlightRequests& in_flight, bool one_io_thread = false,
              HttpTimeouts timeouts = {}, ConnectionLimit::Slot slot = {},
              ConnectionPeer peer = {});

  // Makes the session answer its first request with `response` (and close)
  // instead of handing it to the pipeline: a connection over the server's
  // cap gets a 503 it can read. Call before Run().
  void RefuseWith(ApiResponse response) { refusal_ = std::move(response); }

  // Starts reading on the session's strand.
  void Run();

 private:
  using SteadyClock = std::chrono::steady_clock;

  void DoRead();
  void WaitReadable();
  void OnReadable(boost::beast::error_code ec);
  void ReadAvailable();
  void OnRead(boost::beast::error_code ec, size_t bytes);
  void OnReadError(boost::beast::error_code ec);
  void Dispatch();
  void AnswerReadError(boost::beast::error_code ec);
  void Respond(ApiResponse response, bool keep_alive);
  void HandOver(ApiResponse response);
  void OnWrite(bool keep_alive, boost::beast::error_code ec, size_t bytes);
  void AfterWrite(bool keep_alive, boost::beast::error_code ec);
  void SetDeadline(SteadyClock::duration timeout);
  void ArmTimer();
  void OnDeadline(boost::beast::error_code ec);
  void DoClose();
  void DoLinger();
  void OnLinger(boost::beast::error_code ec, size_t bytes);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  SteadyClock::time_point deadline_;
  bool timer_armed_ = false;
  bool handed_over_ = false;
  // The last read emptied the kernel's receive queue: any later data
  // raises a new readiness event (one-I/O-thread path).
  bool drained_ = true;
  const bool one_io_thread_;
  const HttpTimeouts timeouts_;
  boost::beast::flat_buffer buffer_;
  std::optional<ApiRequestParser> parser_;
  // The response being written; kept (with their capacity) between
  // requests so a keep-alive connection reuses the buffers.
  std::string out_header_;
  std::string out_body_;
  RequestPipeline& pipeline_;
  InFlightRequests& in_flight_;
  InFlightRequests::Ticket ticket_;  // held while a request is in flight
  std::string remote_;
  std::shared_ptr<const ClientCertificate> client_certificate_;  // or null
  bool linger_after_write_ = false;  // the request was refused mid-stream
  size_t lingered_bytes_ = 0;
  std::array<char, 16 * 1024> linger_buffer_{};
  ConnectionLimit::Slot slot_;
  std::optional<ApiResponse> refusal_;  // set by RefuseWith()
};

}  // namespace warden

#endif  // WARDEN_HTTP_HTTP_SESSION_H_
