// The certificates of a self_signed_tls_client_auth client (RFC 8705
// section 2.2), read from the PEM file the user named and sent as the JWKS
// the API takes: one key per certificate, its DER in "x5c". Warden matches
// the certificate of the TLS handshake against those; the key members are
// not needed for that and are not derived.
//
// Main thread; no state.
#ifndef WARDEN_CLI_CERTIFICATE_JWKS_FILE_H_
#define WARDEN_CLI_CERTIFICATE_JWKS_FILE_H_

#include <boost/json/object.hpp>
#include <string>

#include "core/status.h"

namespace warden::cli {

// {"keys": [{"x5c": ["<base64 DER>"]}, ...]} for every certificate in the
// PEM file at `path` ("-" for stdin). kInvalidArgument (exit 5) naming the
// file when it cannot be read or holds no certificate.
Result<boost::json::object> ReadCertificateJwksFile(const std::string& path);

}  // namespace warden::cli

#endif  // WARDEN_CLI_CERTIFICATE_JWKS_FILE_H_
