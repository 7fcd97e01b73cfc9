// One TLS connection: performs the handshake, then serves the decrypted
// HTTP over a connected socket pair, so the plaintext HttpSession (and the
// streams it hands connections to) run unchanged on TLS. The tunnel pumps
// bytes both ways between the TLS stream and its end of the pair; the
// session gets the other end plus the peer's address and verified client
// certificate (ConnectionPeer).
//
// Why a socket pair rather than a session templated on the stream type:
// HttpSession's plaintext path is tuned to the socket (readiness waits,
// one recv and one sendmsg per request), and that path is the one behind a
// terminating proxy or on loopback, where most traffic is. A TLS request
// pays a recv and a send more on the pair, small next to the record
// encryption (docs/PERFORMANCE.md, "TLS").
//
// Lifetime: shared_ptr held by its pending operations. Teardown:
//  - the client closes (close_notify or EOF): the session's end is shut
//    for writing; the session finishes and closes; then the tunnel closes.
//  - the session closes: the tunnel sends close_notify (bounded by
//    kTlsShutdownTimeout) and closes the TCP connection.
//  - a handshake longer than kTlsHandshakeTimeout, or a write to a client
//    that stopped reading for longer than the write timeout: closed.
// Every handler runs on the connection's executor (see Listener).
#ifndef WARDEN_HTTP_TLS_TUNNEL_H_
#define WARDEN_HTTP_TLS_TUNNEL_H_

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "http/connection_peer.h"

namespace warden {

inline constexpr std::chrono::seconds kTlsHandshakeTimeout{10};
inline constexpr std::chrono::seconds kTlsShutdownTimeout{5};

class TlsTunnel : public std::enable_shared_from_this<TlsTunnel> {
 public:
  // Receives the plaintext end (a stream socket presented as tcp::socket:
  // HttpSession reads and writes it like any socket) and the peer.
  using ServePlaintext =
      std::function<void(boost::asio::ip::tcp::socket, ConnectionPeer)>;

  TlsTunnel(boost::asio::ip::tcp::socket socket,
            std::shared_ptr<boost::asio::ssl::context> context,
            std::chrono::steady_clock::duration write_timeout,
            ServePlaintext serve);

  void Run();

 private:
  using SteadyClock = std::chrono::steady_clock;

  void OnHandshake(boost::system::error_code ec);
  boost::system::error_code StartPlaintext();
  ConnectionPeer Peer();
  void ReadClient();
  void OnClientRead(boost::system::error_code ec, size_t bytes);
  void OnInnerWritten(boost::system::error_code ec, size_t bytes);
  void ReadInner();
  void OnInnerRead(boost::system::error_code ec, size_t bytes);
  void OnClientWritten(boost::system::error_code ec, size_t bytes);
  void SendCloseNotify();
  void SetDeadline(SteadyClock::duration timeout);
  void ArmTimer();
  void OnDeadline(boost::system::error_code ec);
  void Close();

  // Declared before stream_: the stream's SSL object refers to it.
  std::shared_ptr<boost::asio::ssl::context> context_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  boost::asio::local::stream_protocol::socket inner_;
  boost::asio::steady_timer timer_;
  // One deadline for whichever phase may stall: the handshake, a write to
  // the client, close_notify. max(): none.
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  bool timer_armed_ = false;
  bool closed_ = false;
  bool client_finished_ = false;  // the client's side has ended
  const SteadyClock::duration write_timeout_;
  ServePlaintext serve_;
  std::string remote_;
  std::array<char, 16 * 1024> from_client_{};
  std::array<char, 16 * 1024> to_client_{};
};

}  // namespace warden

#endif  // WARDEN_HTTP_TLS_TUNNEL_H_
