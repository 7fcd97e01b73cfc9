#include "http/listener.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/socket_base.hpp>
#include <cstdio>

#include "http/http_session.h"

namespace warden {

namespace net = boost::asio;
using net::ip::tcp;

Result<std::shared_ptr<Listener>> Listener::Open(net::io_context& ioc,
                                                 const tcp::endpoint& at,
                                                 RequestPipeline& pipeline,
                                                 InFlightRequests& in_flight,
                                                 bool one_io_thread) {
  auto listener =
      std::make_shared<Listener>(ioc, pipeline, in_flight, one_io_thread);
  Status bound = listener->Bind(at);
  if (!bound.ok()) return bound;
  return listener;
}

Listener::Listener(net::io_context& ioc, RequestPipeline& pipeline,
                   InFlightRequests& in_flight, bool one_io_thread)
    : ioc_(ioc),
      strand_(net::make_strand(ioc)),
      acceptor_(strand_),
      pipeline_(pipeline),
      in_flight_(in_flight),
      one_io_thread_(one_io_thread) {}

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
  if (ec) {
    // Transient (e.g. EMFILE): log and keep accepting.
    std::fprintf(stderr, "accept: %s\n", ec.message().c_str());
  } else {
    std::make_shared<HttpSession>(std::move(socket), pipeline_, in_flight_,
                                  one_io_thread_)
        ->Run();
  }
  DoAccept();
}

}  // namespace warden
