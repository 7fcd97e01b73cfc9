// Reads the certificate a client presented in the TLS handshake into a
// ClientCertificate (core/client_certificate.h).
#ifndef WARDEN_HTTP_CLIENT_CERTIFICATE_H_
#define WARDEN_HTTP_CLIENT_CERTIFICATE_H_

#include <openssl/x509.h>

#include "core/client_certificate.h"
#include "core/status.h"

namespace warden {

// Reads every field but chain_verified, which the caller sets from the
// handshake's verification result. kInvalidArgument when the certificate
// cannot be encoded.
Result<ClientCertificate> ReadClientCertificate(X509* certificate);

}  // namespace warden

#endif  // WARDEN_HTTP_CLIENT_CERTIFICATE_H_
