#include "http/listener.h"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/socket_base.hpp>
#include <cerrno>
#include <cstdio>
#include <optional>

#include "http/http_session.h"
#include "http/problem.h"
#include "http/tls_tunnel.h"

namespace warden {

namespace net = boost::asio;
using net::ip::tcp;

Result<std::shared_ptr<Listener>> Listener::Open(
    net::io_context& ioc, const tcp::endpoint& at, RequestPipeline& pipeline,
    InFlightRequests& in_flight, ConnectionLimit& connections,
    bool one_io_thread, const TlsServerContext* tls) {
  auto listener = std::make_shared<Listener>(ioc, pipeline, in_flight,
                                             connections, one_io_thread, tls);
  Status bound = listener->Bind(at);
  if (!bound.ok()) return bound;
  return listener;
}

Listener::Listener(net::io_context& ioc, RequestPipeline& pipeline,
                   InFlightRequests& in_flight, ConnectionLimit& connections,
                   bool one_io_thread, const TlsServerContext* tls)
    : ioc_(ioc),
      strand_(net::make_strand(ioc)),
      acceptor_(strand_),
      backoff_timer_(strand_),
      pipeline_(pipeline),
      in_flight_(in_flight),
      connections_(connections),
      one_io_thread_(one_io_thread),
      tls_(tls) {}

Status Listener::Bind(const tcp::endpoint& at) {
  boost::system::error_code ec;
  auto fail = [&](const char* step) {
    return Unavailable("listen on " + at.address().to_string() + ":" +
                       std::to_string(at.port()) + ": " + step + ": " +
                       ec.message());
  };
  if (acceptor_.open(at.protocol(), ec)) return fail("open");
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) {
    return fail("set_option");
  }
  if (acceptor_.bind(at, ec)) return fail("bind");
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec)) {
    return fail("listen");
  }
  return Status::Ok();
}

void Listener::Run() {
  net::dispatch(strand_, [self = shared_from_this()] { self->DoAccept(); });
}

void Listener::Close() {
  net::dispatch(strand_, [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->backoff_timer_.cancel();
  });
}

tcp::endpoint Listener::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Listener::DoAccept() {
  if (!acceptor_.is_open()) return;
  auto on_accept = [self = shared_from_this()](boost::system::error_code ec,
                                               tcp::socket socket) {
    self->OnAccept(ec, std::move(socket));
  };
  if (one_io_thread_) {
    acceptor_.async_accept(ioc_.get_executor(), std::move(on_accept));
    return;
  }
  // Each connection on its own strand, so its handlers never run
  // concurrently even with several I/O threads.
  acceptor_.async_accept(net::make_strand(ioc_), std::move(on_accept));
}

void Listener::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec == net::error::no_descriptors ||  // EMFILE
      ec.value() == ENFILE || ec == net::error::no_buffer_space ||
      ec == net::error::no_memory) {
    return BackOff(ec);
  }
  if (ec) {
    // Transient for this one connection (e.g. ECONNABORTED): keep going.
    accept_failures_.fetch_add(1);
    std::fprintf(stderr, "accept: %s\n", ec.message().c_str());
  } else {
    backoff_ = std::chrono::milliseconds(0);
    Serve(std::move(socket));
  }
  DoAccept();
}

void Listener::Serve(tcp::socket socket) {
  std::optional<ConnectionLimit::Slot> slot = connections_.TryAcquire();
  if (!slot) return Refuse(std::move(socket));
  Start(std::move(socket), SessionStart{HttpTimeouts{}, std::move(*slot), {}});
}

// Over the cap: read the request and answer 503 with Retry-After, under
// short timeouts and a cap of its own; past that, close at once.
void Listener::Refuse(tcp::socket socket) {
  std::optional<ConnectionLimit::Slot> slot = connections_.TryAcquireRefusal();
  if (!slot) {
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  constexpr std::chrono::seconds kRefusalTimeout{5};
  HttpTimeouts timeouts{kRefusalTimeout, kRefusalTimeout, kRefusalTimeout};
  Start(std::move(socket),
        SessionStart{
            timeouts, std::move(*slot),
            ProblemResponse(
                Status(StatusCode::kUnavailable,
                       "the server has " +
                           std::to_string(connections_.max_connections()) +
                           " open connections; retry later",
                       "too-many-connections")
                    .WithRetryAfter(kConnectionsFullRetryAfter),
                "", "")});
}

// The session directly on a plain connection, or behind a TLS tunnel.
void Listener::Start(tcp::socket socket, SessionStart start) {
  if (tls_ == nullptr)
    return RunSession(std::move(socket), std::move(start), {});
  const auto write_timeout = start.timeouts.write;
  auto pending = std::make_shared<SessionStart>(std::move(start));
  std::make_shared<TlsTunnel>(std::move(socket), tls_->Current(), write_timeout,
                              [self = shared_from_this(), pending](
                                  tcp::socket plaintext, ConnectionPeer peer) {
                                self->RunSession(std::move(plaintext),
                                                 std::move(*pending),
                                                 std::move(peer));
                              })
      ->Run();
}

void Listener::RunSession(tcp::socket socket, SessionStart start,
                          ConnectionPeer peer) {
  auto session = std::make_shared<HttpSession>(
      std::move(socket), pipeline_, in_flight_, one_io_thread_, start.timeouts,
      std::move(start.slot), std::move(peer));
  if (start.refusal) session->RefuseWith(std::move(*start.refusal));
  session->Run();
}

// Out of descriptors or memory: retrying before something closes cannot
// succeed, so wait, doubling up to kAcceptBackoffMax.
void Listener::BackOff(const boost::system::error_code& ec) {
  accept_failures_.fetch_add(1);
  if (backoff_.count() == 0) {
    std::fprintf(stderr, "accept: %s; backing off\n", ec.message().c_str());
    backoff_ = kAcceptBackoffMin;
  } else {
    backoff_ = std::min(backoff_ * 2, kAcceptBackoffMax);
  }
  backoff_timer_.expires_after(backoff_);
  backoff_timer_.async_wait(
      [self = shared_from_this()](boost::system::error_code wait_ec) {
        if (wait_ec) return;  // cancelled by Close()
        self->DoAccept();
      });
}

}  // namespace warden
