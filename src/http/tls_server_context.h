// The listener's TLS configuration: certificate chain and private key from
// PEM files, and optionally a CA bundle that client certificates must
// chain to (mutual TLS). Reload() reads the files again (SIGHUP): new
// connections get the new context, open ones keep the one they started
// with, so a certificate renewal drops no connection.
//
// Policy (Mozilla's "intermediate" profile): TLS 1.2 and 1.3 only, TLS 1.3
// chosen whenever the client offers it; TLS 1.2 only with forward-secret
// AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305); no compression, no
// renegotiation. ALPN selects "http/1.1" (Warden speaks no HTTP/2).
//
// A client CA bundle makes the server ask for a certificate, optionally:
// a client that presents one must chain to the bundle or the handshake
// fails; a client without one connects as before (API tokens, passwords).
// With accept_unverified_clients the server also asks, and a certificate
// that does not chain (a self-signed one) completes the handshake too; it
// reaches handlers with ClientCertificate::chain_verified false, so only
// an exact-match check (RFC 8705 self_signed_tls_client_auth, or a token's
// x5t#S256 binding) can rely on it (nginx's "optional_no_ca").
//
// Thread-safe.
#ifndef WARDEN_HTTP_TLS_SERVER_CONTEXT_H_
#define WARDEN_HTTP_TLS_SERVER_CONTEXT_H_

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "core/mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"

namespace warden {

struct TlsServerFiles {
  std::string certificate_chain;  // PEM: leaf first, then intermediates
  std::string private_key;        // PEM
  std::string client_ca;          // PEM bundle; empty: no client certs
  bool accept_unverified_clients = false;
};

class TlsServerContext {
 public:
  // Loads the files; the error names the file and OpenSSL's reason.
  static Result<std::unique_ptr<TlsServerContext>> Load(TlsServerFiles files);

  // The context for a new connection.
  std::shared_ptr<boost::asio::ssl::context> Current() const;

  // Reads the files again. On error the current context stays in use and
  // the error says why (a renewal half-written on disk must not take the
  // listener down).
  Status Reload();

 private:
  TlsServerContext(TlsServerFiles files,
                   std::shared_ptr<boost::asio::ssl::context> context);

  const TlsServerFiles files_;
  mutable Mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> current_ WARDEN_GUARDED_BY(mu_);
};

// Builds one context from the files (exposed for tests).
Result<std::shared_ptr<boost::asio::ssl::context>> MakeTlsServerContext(
    const TlsServerFiles& files);

}  // namespace warden

#endif  // WARDEN_HTTP_TLS_SERVER_CONTEXT_H_
