#include "http/tls_tunnel.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/write.hpp>
#include <string>

namespace warden {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using net::ip::tcp;

namespace {

std::string RemoteOf(const tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace

TlsTunnel::TlsTunnel(tcp::socket socket, std::shared_ptr<ssl::context> context,
                     std::chrono::steady_clock::duration write_timeout,
                     ServePlaintext serve)
    : context_(std::move(context)),
      stream_(std::move(socket), *context_),
      inner_(stream_.get_executor()),
      timer_(stream_.get_executor()),
      write_timeout_(write_timeout),
      serve_(std::move(serve)),
      remote_(RemoteOf(stream_.next_layer())) {}

void TlsTunnel::Run() {
  // A response larger than one TLS record leaves in several writes: without
  // TCP_NODELAY the second would wait for the client's delayed ACK.
  boost::system::error_code ignored;
  stream_.next_layer().set_option(tcp::no_delay(true), ignored);
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->SetDeadline(kTlsHandshakeTimeout);
    self->stream_.async_handshake(
        ssl::stream_base::server,
        [self](boost::system::error_code ec) { self->OnHandshake(ec); });
  });
}

void TlsTunnel::OnHandshake(boost::system::error_code ec) {
  deadline_ = SteadyClock::time_point::max();
  if (ec || closed_) return Close();
  if (StartPlaintext()) return Close();
  ReadClient();
  ReadInner();
}

// Connects a socket pair and hands one end, as a tcp::socket, to serve_.
boost::system::error_code TlsTunnel::StartPlaintext() {
  boost::system::error_code ec;
  net::local::stream_protocol::socket other(stream_.get_executor());
  net::local::connect_pair(inner_, other, ec);
  if (ec) return ec;
  const int descriptor = other.release(ec);
  if (ec) return ec;
  tcp::socket plaintext(stream_.get_executor());
  plaintext.assign(tcp::v4(), descriptor, ec);
  if (ec) {
    ::close(descriptor);
    return ec;
  }
  ServePlaintext serve = std::move(serve_);
  serve(std::move(plaintext), Peer());
  return ec;
}

// The client certificate, if one was presented. Unless the context
// accepts unverified certificates, one that fails verification fails the
// handshake; chain_verified records the result either way.
ConnectionPeer TlsTunnel::Peer() {
  ConnectionPeer peer{remote_, nullptr};
  SSL* native = stream_.native_handle();
  X509* certificate = SSL_get0_peer_certificate(native);
  if (certificate == nullptr) return peer;
  Result<ClientCertificate> read = ReadClientCertificate(certificate);
  if (!read.ok()) return peer;
  read->chain_verified = SSL_get_verify_result(native) == X509_V_OK;
  peer.client_certificate =
      std::make_shared<const ClientCertificate>(std::move(read).value());
  return peer;
}

void TlsTunnel::ReadClient() {
  stream_.async_read_some(
      net::buffer(from_client_),
      [self = shared_from_this()](boost::system::error_code ec, size_t n) {
        self->OnClientRead(ec, n);
      });
}

void TlsTunnel::OnClientRead(boost::system::error_code ec, size_t bytes) {
  if (closed_) return;
  if (ec) {
    // The client is done (close_notify, EOF or an error): the session
    // reads end-of-stream, answers what it holds and closes its end.
    client_finished_ = true;
    boost::system::error_code ignored;
    inner_.shutdown(net::socket_base::shutdown_send, ignored);
    return;
  }
  net::async_write(inner_, net::buffer(from_client_.data(), bytes),
                   [self = shared_from_this()](
                       boost::system::error_code write_ec, size_t n) {
                     self->OnInnerWritten(write_ec, n);
                   });
}

void TlsTunnel::OnInnerWritten(boost::system::error_code ec, size_t /*bytes*/) {
  if (ec) return Close();
  ReadClient();
}

void TlsTunnel::ReadInner() {
  inner_.async_read_some(
      net::buffer(to_client_),
      [self = shared_from_this()](boost::system::error_code ec, size_t n) {
        self->OnInnerRead(ec, n);
      });
}

void TlsTunnel::OnInnerRead(boost::system::error_code ec, size_t bytes) {
  if (closed_) return;
  if (ec) return client_finished_ ? Close() : SendCloseNotify();
  SetDeadline(write_timeout_);
  net::async_write(stream_, net::buffer(to_client_.data(), bytes),
                   [self = shared_from_this()](
                       boost::system::error_code write_ec, size_t n) {
                     self->OnClientWritten(write_ec, n);
                   });
}

void TlsTunnel::OnClientWritten(boost::system::error_code ec,
                                size_t /*bytes*/) {
  deadline_ = SteadyClock::time_point::max();
  if (ec) return Close();
  ReadInner();
}

// The session closed: tell the client with close_notify (so it can tell a
// complete stream from a cut one), then close.
void TlsTunnel::SendCloseNotify() {
  SetDeadline(kTlsShutdownTimeout);
  stream_.async_shutdown([self = shared_from_this()](
                             boost::system::error_code) { self->Close(); });
}

// Moves the deadline; the timer is re-armed only when it would fire too
// late (the same scheme as HttpSession's).
void TlsTunnel::SetDeadline(SteadyClock::duration timeout) {
  deadline_ = SteadyClock::now() + timeout;
  if (timer_armed_ && timer_.expiry() <= deadline_) return;
  ArmTimer();
}

void TlsTunnel::ArmTimer() {
  timer_armed_ = true;
  timer_.expires_at(deadline_);
  // A weak reference: an idle timer must not keep a closed tunnel alive.
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (auto self = weak.lock()) self->OnDeadline(ec);
  });
}

void TlsTunnel::OnDeadline(boost::system::error_code ec) {
  if (ec == net::error::operation_aborted || closed_) return;
  timer_armed_ = false;
  if (deadline_ == SteadyClock::time_point::max()) return;  // nothing due
  if (SteadyClock::now() < deadline_) return ArmTimer();
  Close();
}

// Pending operations complete with operation_aborted and release the
// tunnel; the session sees its end close.
void TlsTunnel::Close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  stream_.next_layer().close(ignored);
  inner_.close(ignored);
  timer_.cancel();
}

}  // namespace warden
