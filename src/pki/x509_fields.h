// Helpers that fill X.509 certificate and CRL fields (private to pki/, but
// for SerialHex, which also names the client certificates the listener
// reads: http/client_certificate.h).
#ifndef WARDEN_PKI_X509_FIELDS_H_
#define WARDEN_PKI_X509_FIELDS_H_

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace warden::pki {

// Sets a random positive 127-bit serial; returns it as lower-case hex.
Result<std::string> SetRandomSerial(X509* certificate);
std::string SerialHex(const ASN1_INTEGER* serial);

Status SetValidity(X509* certificate, Timestamp not_before,
                   Timestamp not_after);
Timestamp FromAsn1Time(const ASN1_TIME* time);
bool SetAsn1Time(ASN1_TIME* time, Timestamp at);

// Adds one extension in OpenSSL config syntax (e.g. "critical,CA:FALSE"),
// with `issuer` (may equal `subject`) as the key-identifier context.
Status AddExtension(X509* subject, X509* issuer, int nid,
                    std::string_view value);

// Adds one revoked entry (serial as lower-case hex) to `crl`.
Status AddRevoked(X509_CRL* crl, std::string_view serial_hex,
                  Timestamp revoked_at);
// CRL number and authority key identifier (RFC 5280 sections 5.2.1, 5.2.3).
Status AddCrlExtensions(X509_CRL* crl, X509* issuer, int64_t crl_number);

// Digest to sign with for `key`: none for Ed25519/Ed448, SHA-256 otherwise.
const EVP_MD* SigningDigest(EVP_PKEY* key);

}  // namespace warden::pki

#endif  // WARDEN_PKI_X509_FIELDS_H_
