// The certificate a client presented in the TLS handshake, as the listener
// read it (http/client_certificate.h). Handlers read it from
// ApiRequest::client_certificate to authenticate a workload by its
// certificate (RFC 8705 mutual TLS) and to bind the tokens they issue to
// it. The handshake proved the client holds the certificate's key whether
// or not the chain verified.
#ifndef WARDEN_CORE_CLIENT_CERTIFICATE_H_
#define WARDEN_CORE_CLIENT_CERTIFICATE_H_

#include <string>
#include <vector>

namespace warden {

struct ClientCertificate {
  std::string der;
  std::string pem;
  // base64url (no padding) SHA-256 of `der`: the "x5t#S256" confirmation
  // method of RFC 8705 section 3.1.
  std::string thumbprint_s256;
  std::string subject;  // RFC 4514 (RFC 2253) distinguished name
  std::string serial;   // lower-case hex, as CertificateRecord::serial
  std::vector<std::string> uri_sans;  // e.g. a SPIFFE ID
  std::vector<std::string> dns_sans;
  std::vector<std::string> ip_sans;  // textual: "192.0.2.1", "2001:db8::1"
  std::vector<std::string> email_sans;
  // True when the chain verified against the listener's client CA bundle
  // (--tls-client-ca). False for a certificate accepted only because the
  // listener takes self-signed client certificates: it then authenticates
  // nothing but a client registered for self_signed_tls_client_auth with
  // exactly this certificate.
  bool chain_verified = false;
};

}  // namespace warden

#endif  // WARDEN_CORE_CLIENT_CERTIFICATE_H_
