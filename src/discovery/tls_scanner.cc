// TLS client handshakes (RFC 8446 / RFC 5246) through Boost.Asio and
// OpenSSL, with verification off on purpose; SNI (RFC 6066 section 3) is
// sent for host names.
#include "discovery/tls_scanner.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <optional>
#include <utility>

#include "core/status.h"
#include "discovery/certificate_observation.h"
#include "discovery/certificate_scanner.h"

namespace warden::discovery {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::string_view kSource = "tls";

struct Endpoint {
  std::string host;
  std::string port;
};

Result<Endpoint> ParseTarget(std::string_view target) {
  Endpoint endpoint;
  if (target.starts_with("[")) {
    const size_t close = target.find(']');
    if (close == std::string_view::npos) {
      return Status(StatusCode::kInvalidArgument, "unclosed '[' in target");
    }
    endpoint.host = std::string(target.substr(1, close - 1));
    std::string_view rest = target.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(":")) {
      return Status(StatusCode::kInvalidArgument, "expected ':' after ']'");
    }
    endpoint.port =
        rest.empty() ? kDefaultTlsPort : std::string(rest.substr(1));
  } else {
    const size_t colon = target.rfind(':');
    if (colon != std::string_view::npos && target.find(':') != colon) {
      return Status(StatusCode::kInvalidArgument,
                    "an IPv6 address needs brackets: [addr]:port");
    }
    endpoint.host = std::string(target.substr(0, colon));
    endpoint.port = colon == std::string_view::npos
                        ? kDefaultTlsPort
                        : std::string(target.substr(colon + 1));
  }
  if (endpoint.host.empty()) {
    return Status(StatusCode::kInvalidArgument, "target without a host");
  }
  const bool numeric_port =
      !endpoint.port.empty() && endpoint.port.size() <= 5 &&
      endpoint.port.find_first_not_of("0123456789") == std::string::npos &&
      std::stoi(endpoint.port) > 0 && std::stoi(endpoint.port) <= 65535;
  if (!numeric_port) {
    return Status(StatusCode::kInvalidArgument,
                  "port must be a number from 1 to 65535");
  }
  return endpoint;
}

// One target's connection: each step runs the io_context for at most its
// timeout, and on expiry closes the socket so the pending handler finishes.
class Handshake {
 public:
  explicit Handshake(asio::ssl::context& tls) : stream_(io_, tls) {}

  // Returns the failure as a message, or nullopt once the handshake is done.
  std::optional<std::string> Run(const Endpoint& endpoint,
                                 const TlsScanOptions& options) {
    tcp::resolver resolver(io_);
    tcp::resolver::results_type results;
    std::optional<error_code> result = Step(
        options.connect_timeout,
        [&](auto done) {
          resolver.async_resolve(
              endpoint.host, endpoint.port,
              [&results, done](error_code ec, tcp::resolver::results_type r) {
                results = std::move(r);
                done(ec);
              });
        },
        [&resolver] { resolver.cancel(); });
    if (!result) return "name resolution timed out";
    if (*result) return "cannot resolve: " + result->message();
    result = Step(
        options.connect_timeout,
        [&](auto done) {
          asio::async_connect(
              stream_.next_layer(), results,
              [done](error_code ec, const tcp::endpoint&) { done(ec); });
        },
        [this] { Close(); });
    if (!result) return "connection timed out";
    if (*result) return "cannot connect: " + result->message();
    SetServerName(endpoint.host);
    result = Step(
        options.handshake_timeout,
        [&](auto done) {
          stream_.async_handshake(asio::ssl::stream_base::client,
                                  [done](error_code ec) { done(ec); });
        },
        [this] { Close(); });
    if (!result) return "TLS handshake timed out";
    if (*result) return "TLS handshake failed: " + result->message();
    return std::nullopt;
  }

  SSL* ssl() { return stream_.native_handle(); }

 private:
  // Starts an operation through `start(done)` and runs it for `timeout`.
  // Returns its error code, or nullopt when it timed out (after `cancel`).
  template <typename Start, typename Cancel>
  std::optional<error_code> Step(std::chrono::milliseconds timeout, Start start,
                                 Cancel cancel) {
    std::optional<error_code> result;
    start([&result](error_code ec) { result = ec; });
    io_.restart();
    io_.run_for(timeout);
    if (result) return result;
    cancel();
    io_.restart();
    io_.run();  // lets the cancelled handler run before `result` goes away
    return std::nullopt;
  }

  void Close() {
    error_code ignored;
    stream_.next_layer().close(ignored);
  }

  void SetServerName(const std::string& host) {
    error_code ec;
    asio::ip::make_address(host, ec);
    if (ec) SSL_set_tlsext_host_name(stream_.native_handle(), host.c_str());
  }

  asio::io_context io_;
  asio::ssl::stream<tcp::socket> stream_;
};

std::string ToDer(X509* cert) {
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert, &der);
  if (size <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return out;
}

void DescribeChain(SSL* ssl, const std::string& target, ScanReport& report) {
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  const int count = chain ? sk_X509_num(chain) : 0;
  if (count == 0) {
    report.issues.push_back({target, "the server presented no certificate"});
    return;
  }
  for (int i = 0; i < count; ++i) {
    auto observation =
        DescribeCertificate(ToDer(sk_X509_value(chain, i)), kSource, target);
    if (!observation.ok()) {
      report.issues.push_back({target, "certificate " + std::to_string(i) +
                                           ": " +
                                           observation.status().message()});
      continue;
    }
    observation->attributes["chain_position"] = std::to_string(i);
    observation->attributes["tls_version"] = SSL_get_version(ssl);
    report.observations.push_back(std::move(*observation));
  }
}

void ScanTarget(const std::string& target, asio::ssl::context& tls,
                const TlsScanOptions& options, ScanReport& report) {
  Result<Endpoint> endpoint = ParseTarget(target);
  if (!endpoint.ok()) {
    report.issues.push_back({target, endpoint.status().message()});
    return;
  }
  Handshake handshake(tls);
  if (std::optional<std::string> failure = handshake.Run(*endpoint, options)) {
    report.issues.push_back({target, std::move(*failure)});
    return;
  }
  DescribeChain(handshake.ssl(), target, report);
}

}  // namespace

ScanReport ScanTlsEndpoints(const std::vector<std::string>& targets,
                            const ProgressCallback& progress,
                            const TlsScanOptions& options) {
  ScanReport report;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_verify_mode(asio::ssl::verify_none);  // inventory, not trust
  // The weak endpoints (RSA-1024 keys, SHA-1 signatures, TLS 1.0) are the
  // ones an inventory must see; a trusting client's floor would hide them.
  SSL_CTX_set_security_level(tls.native_handle(), 0);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_VERSION);
  for (const std::string& target : targets) {
    ScanTarget(target, tls, options, report);
    report.files_scanned += 1;
    if (progress) {
      progress(ScanProgress{.files_done = report.files_scanned,
                            .bytes_done = report.bytes_scanned,
                            .current = target});
    }
  }
  DropDuplicateObservations(report);
  return report;
}

}  // namespace warden::discovery
