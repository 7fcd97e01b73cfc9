#include "http/tls_server_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstring>

namespace warden {
namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites of Mozilla's intermediate configuration (TLS 1.3 suites
// are OpenSSL's defaults, all AEAD).
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

constexpr unsigned char kHttp11[] = "http/1.1";

// Picks "http/1.1" when the client offers it; a client offering only
// other protocols (h2) gets no ALPN answer and may fall back or give up.
int SelectAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
               const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  const size_t name_size = sizeof(kHttp11) - 1;
  for (unsigned int i = 0; i < inlen;) {
    const unsigned int size = in[i];
    if (i + 1 + size > inlen) break;
    if (size == name_size && std::memcmp(in + i + 1, kHttp11, size) == 0) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(size);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + size;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

// The reason OpenSSL queued for the last failure (and clears the queue).
std::string OpenSslReason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

Status FileError(const std::string& what, const std::string& path) {
  return InvalidArgument(what + " " + path + ": " + OpenSslReason(),
                         "tls-config-invalid");
}

Status LoadClientCa(SSL_CTX* native, const std::string& path) {
  if (SSL_CTX_load_verify_locations(native, path.c_str(), nullptr) != 1) {
    return FileError("--tls-client-ca", path);
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(path.c_str());
  if (names == nullptr) return FileError("--tls-client-ca", path);
  SSL_CTX_set_client_CA_list(native, names);  // takes ownership
  // Ask for a certificate; fail only when one is presented and does not
  // verify. Depth covers a root, intermediates and the leaf.
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_verify_depth(native, 4);
  return Status::Ok();
}

// Completes the handshake whatever the chain's verification said; the
// result stays readable (SSL_get_verify_result) for the tunnel to record.
int AcceptUnverified(int /*preverified*/, X509_STORE_CTX* /*context*/) {
  return 1;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeTlsServerContext(
    const TlsServerFiles& files) {
  ERR_clear_error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Internal("TLS 1.2 cipher list: " + OpenSslReason());
  }
  if (SSL_CTX_use_certificate_chain_file(
          native, files.certificate_chain.c_str()) != 1) {
    return FileError("--tls-cert", files.certificate_chain);
  }
  if (SSL_CTX_use_PrivateKey_file(native, files.private_key.c_str(),
                                  SSL_FILETYPE_PEM) != 1) {
    return FileError("--tls-key", files.private_key);
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return InvalidArgument("--tls-key " + files.private_key +
                               " does not match the certificate in " +
                               files.certificate_chain,
                           "tls-config-invalid");
  }
  SSL_CTX_set_alpn_select_cb(native, &SelectAlpn, nullptr);
  if (!files.client_ca.empty()) {
    WARDEN_RETURN_IF_ERROR(LoadClientCa(native, files.client_ca));
  }
  if (files.accept_unverified_clients) {
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, &AcceptUnverified);
    SSL_CTX_set_verify_depth(native, 4);
  }
  // One session-id context for resumption with client certificates.
  static constexpr unsigned char kSessionContext[] = "warden";
  SSL_CTX_set_session_id_context(native, kSessionContext,
                                 sizeof(kSessionContext) - 1);
  return context;
}

Result<std::unique_ptr<TlsServerContext>> TlsServerContext::Load(
    TlsServerFiles files) {
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<ssl::context> context,
                          MakeTlsServerContext(files));
  return std::unique_ptr<TlsServerContext>(
      new TlsServerContext(std::move(files), std::move(context)));
}

TlsServerContext::TlsServerContext(TlsServerFiles files,
                                   std::shared_ptr<ssl::context> context)
    : files_(std::move(files)), current_(std::move(context)) {}

std::shared_ptr<ssl::context> TlsServerContext::Current() const {
  MutexLock lock(mu_);
  return current_;
}

Status TlsServerContext::Reload() {
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<ssl::context> context,
                          MakeTlsServerContext(files_));
  MutexLock lock(mu_);
  current_ = std::move(context);
  return Status::Ok();
}

}  // namespace warden
