// RFC 8705 client authentication by the certificate presented in the TLS
// handshake: what a registration may say, and whether a certificate
// matches it.
//
//  - tls_client_auth (section 2.1): the certificate chains to a CA the
//    listener trusts (--tls-client-ca; ClientCertificate::chain_verified)
//    and exactly one registered subject or SAN value matches:
//    tls_client_auth_subject_dn (RFC 4514 text, compared as OpenSSL prints
//    it), tls_client_auth_san_dns (case-insensitive), tls_client_auth_san_uri
//    (e.g. the SPIFFE ID of a Warden SVID), tls_client_auth_san_ip (any
//    textual form; compared as addresses) or tls_client_auth_san_email.
//  - self_signed_tls_client_auth (section 2.2): the certificate is one the
//    client registered, as "x5c" of a key in a JWKS; no chain is needed.
//
// Revocation of Warden's own SVIDs is checked by the caller, which has the
// store (ClientCredentialService).
#ifndef WARDEN_OAUTH_CERTIFICATE_CLIENT_AUTH_H_
#define WARDEN_OAUTH_CERTIFICATE_CLIENT_AUTH_H_

#include <array>
#include <string>
#include <string_view>

#include "core/client_certificate.h"
#include "core/status.h"
#include "store/oauth_records.h"

namespace warden::oauth {

// The tls_client_auth metadata names, in RFC 8705 section 2.1.2 order.
inline constexpr std::array<std::string_view, 5> kTlsClientAuthFields = {
    "tls_client_auth_subject_dn", "tls_client_auth_san_dns",
    "tls_client_auth_san_uri", "tls_client_auth_san_ip",
    "tls_client_auth_san_email"};

// Checks a tls_client_auth registration and returns the value as stored
// (an IP address in canonical text). kInvalidArgument ("validation-failed")
// naming the field for an unknown field or an empty, oversized or
// malformed value, or one with a control character.
Result<std::string> NormalizeTlsClientAuthValue(std::string_view field,
                                                std::string_view value);

// Checks a self_signed_tls_client_auth JWKS: a JSON object with "keys",
// each key's "x5c" a non-empty array of base64 (not base64url) DER
// certificates, at least one key with one. kInvalidArgument naming the
// problem.
Status CheckSelfSignedJwks(std::string_view jwks);

// Whether `certificate` authenticates the client registered as `record`
// (method kTlsClientAuthMethod or kSelfSignedTlsClientAuthMethod).
// kUnauthenticated ("invalid_client") with the reason otherwise.
Status MatchClientCertificate(const ClientCredentialRecord& record,
                              const ClientCertificate& certificate);

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_CERTIFICATE_CLIENT_AUTH_H_
