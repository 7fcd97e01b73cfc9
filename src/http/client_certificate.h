// The certificate a client presented in the TLS handshake, after the
// listener verified it against the client CA bundle (--tls-client-ca).
// Handlers read it from ApiRequest::client_certificate to authenticate a
// workload by its certificate (RFC 8705 mutual TLS) and to bind the tokens
// they issue to it.
#ifndef WARDEN_HTTP_CLIENT_CERTIFICATE_H_
#define WARDEN_HTTP_CLIENT_CERTIFICATE_H_

#include <openssl/x509.h>

#include <string>
#include <vector>

#include "core/status.h"

namespace warden {

struct ClientCertificate {
  std::string der;
  std::string pem;
  // base64url (no padding) SHA-256 of `der`: the "x5t#S256" confirmation
  // method of RFC 8705 section 3.1.
  std::string thumbprint_s256;
  std::string subject;                // RFC 2253 distinguished name
  std::vector<std::string> uri_sans;  // e.g. a SPIFFE ID
  std::vector<std::string> dns_sans;
};

// Reads the fields above from `certificate`. kInvalidArgument when it
// cannot be encoded.
Result<ClientCertificate> ReadClientCertificate(X509* certificate);

}  // namespace warden

#endif  // WARDEN_HTTP_CLIENT_CERTIFICATE_H_
