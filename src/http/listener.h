// Accepts TCP connections and starts an HttpSession for each (Beast advanced
// server example's `listener`). Each connection gets its own strand, except
// when the caller promises that one thread runs the io_context: then every
// handler is serialised already, and a strand would only add a queue, a
// lock and a type-erased executor copy to each handler (measurable on the
// OFREP path, where a request is a few microseconds of work).
//
// Lifetime: shared_ptr; the pending accept keeps it alive. Close() may be
// called from any thread; it stops accepting (already accepted connections
// are unaffected).
#ifndef WARDEN_HTTP_LISTENER_H_
#define WARDEN_HTTP_LISTENER_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "core/status.h"
#include "http/in_flight_requests.h"
#include "http/request_pipeline.h"

namespace warden {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Opens, binds and listens; errors name the endpoint.
  static Result<std::shared_ptr<Listener>> Open(
      boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& at,
      RequestPipeline& pipeline, InFlightRequests& in_flight,
      bool one_io_thread = false);

  // `one_io_thread`: REQUIRES that at most one thread at a time runs `ioc`
  // (then connections get no strand of their own).
  Listener(boost::asio::io_context& ioc, RequestPipeline& pipeline,
           InFlightRequests& in_flight, bool one_io_thread = false);

  void Run();
  void Close();
  boost::asio::ip::tcp::endpoint local_endpoint() const;

 private:
  Status Bind(const boost::asio::ip::tcp::endpoint& at);
  void DoAccept();
  void OnAccept(boost::system::error_code ec,
                boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  RequestPipeline& pipeline_;
  InFlightRequests& in_flight_;
  const bool one_io_thread_;
};

}  // namespace warden

#endif  // WARDEN_HTTP_LISTENER_H_
