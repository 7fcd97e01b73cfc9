// Accepts TCP connections and starts an HttpSession for each (Beast advanced
// server example's `listener`). Each connection gets its own strand, except
// when the caller promises that one thread runs the io_context: then every
// handler is serialised already, and a strand would only add a queue, a
// lock and a type-erased executor copy to each handler (measurable on the
// OFREP path, where a request is a few microseconds of work).
//
// TLS: given a TlsServerContext, every connection is a TlsTunnel whose
// plaintext end gets the HttpSession (http/tls_tunnel.h); the context is
// read per connection, so a reload applies to the next one.
//
// Limits: every accepted connection takes a ConnectionLimit slot; over the
// cap it is answered 503 with Retry-After and closed (ConnectionLimit has
// the details). When accept itself fails for want of descriptors or memory
// (EMFILE, ENFILE, ENOBUFS, ENOMEM) the listener backs off (from
// kAcceptBackoffMin doubling to kAcceptBackoffMax, reset by the next
// success) instead of retrying at once: the pending connection stays in the
// backlog and retrying cannot succeed until something closes, so an
// immediate retry only spins a core and floods the log (one line per
// back-off episode).
//
// Lifetime: shared_ptr; the pending accept keeps it alive. Close() may be
// called from any thread; it stops accepting (already accepted connections
// are unaffected).
#ifndef WARDEN_HTTP_LISTENER_H_
#define WARDEN_HTTP_LISTENER_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "core/status.h"
#include "http/api_exchange.h"
#include "http/connection_limit.h"
#include "http/connection_peer.h"
#include "http/http_session.h"
#include "http/in_flight_requests.h"
#include "http/request_pipeline.h"
#include "http/tls_server_context.h"

namespace warden {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Opens, binds and listens; errors name the endpoint.
  // `connections` (borrowed) must outlive every session and stream;
  // `tls` (borrowed, null: plain HTTP) must outlive the listener.
  static Result<std::shared_ptr<Listener>> Open(
      boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& at,
      RequestPipeline& pipeline, InFlightRequests& in_flight,
      ConnectionLimit& connections, bool one_io_thread = false,
      const TlsServerContext* tls = nullptr);

  // `one_io_thread`: REQUIRES that at most one thread at a time runs `ioc`
  // (then connections get no strand of their own).
  Listener(boost::asio::io_context& ioc, RequestPipeline& pipeline,
           InFlightRequests& in_flight, ConnectionLimit& connections,
           bool one_io_thread = false, const TlsServerContext* tls = nullptr);

  void Run();
  void Close();
  boost::asio::ip::tcp::endpoint local_endpoint() const;

  // Failed accept calls so far (tests, logs).
  uint64_t accept_failures() const { return accept_failures_.load(); }

  static constexpr std::chrono::milliseconds kAcceptBackoffMin{10};
  static constexpr std::chrono::milliseconds kAcceptBackoffMax{1000};

 private:
  Status Bind(const boost::asio::ip::tcp::endpoint& at);
  void DoAccept();
  void OnAccept(boost::system::error_code ec,
                boost::asio::ip::tcp::socket socket);
  // What a connection's HttpSession starts with.
  struct SessionStart {
    HttpTimeouts timeouts;
    ConnectionLimit::Slot slot;
    std::optional<ApiResponse> refusal;  // answer this and close
  };

  void Serve(boost::asio::ip::tcp::socket socket);
  void Refuse(boost::asio::ip::tcp::socket socket);
  void Start(boost::asio::ip::tcp::socket socket, SessionStart start);
  void RunSession(boost::asio::ip::tcp::socket socket, SessionStart start,
                  ConnectionPeer peer);
  void BackOff(const boost::system::error_code& ec);

  boost::asio::io_context& ioc_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_timer_;  // on strand_
  std::chrono::milliseconds backoff_{0};     // on strand_; 0: not backing off
  RequestPipeline& pipeline_;
  InFlightRequests& in_flight_;
  ConnectionLimit& connections_;
  const bool one_io_thread_;
  const TlsServerContext* const tls_;
  std::atomic<uint64_t> accept_failures_{0};
};

}  // namespace warden

#endif  // WARDEN_HTTP_LISTENER_H_
