// Warden's internal X.509 certificate authority for X509-SVIDs (SPIFFE
// X509-SVID specification; RFC 5280 profiles).
//
// The CA is either generated (a self-signed EC P-256 root, 10 years) or an
// imported intermediate (certificate + its private key, which must match
// and must be a CA certificate). Leaves it signs carry: exactly one URI SAN
// (the SPIFFE ID), basicConstraints cA=false (critical), keyUsage
// digitalSignature (critical), extendedKeyUsage serverAuth + clientAuth,
// subject and authority key identifiers, a random 127-bit serial, and the
// validity [now - kBackdate, now + lifetime] clipped to the CA's own expiry.
// CRLs (RFC 5280 section 5) are v2 with a CRL number and the AKI.
//
// Thread safety: immutable after construction; every method is const and
// may be called from any thread.
#ifndef WARDEN_PKI_CERTIFICATE_AUTHORITY_H_
#define WARDEN_PKI_CERTIFICATE_AUTHORITY_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "pki/certificate_request.h"
#include "pki/openssl_handles.h"

namespace warden::pki {

// Tolerance for clients whose clock runs slightly behind.
inline constexpr std::chrono::seconds kBackdate{30};
// Bound on imported certificate/key PEM text.
inline constexpr size_t kMaxImportPemBytes = 64 * 1024;

struct IssuedCertificate {
  std::string serial;  // lower-case hex
  std::string spiffe_id;
  std::string pem;
  Timestamp not_before{};
  Timestamp not_after{};
};

// What a presented leaf says about itself, once its chain to this CA holds.
struct LeafFacts {
  std::string serial;
  std::string public_key_der;  // SubjectPublicKeyInfo DER
  std::string spiffe_id;
  Timestamp not_before{};
  Timestamp not_after{};
};

struct RevokedSerial {
  std::string serial;  // hex as IssuedCertificate::serial
  Timestamp revoked_at{};
};

class CertificateAuthority {
 public:
  // A new self-signed root named "Warden CA <trust_domain>".
  static Result<std::unique_ptr<CertificateAuthority>> Generate(
      std::string_view trust_domain, Timestamp now);
  // An existing CA (generated earlier, or an imported intermediate).
  // kInvalidArgument when the PEM does not parse, the key does not match,
  // or the certificate is not a CA.
  static Result<std::unique_ptr<CertificateAuthority>> Load(
      std::string_view certificate_pem, std::string_view key_pem);

  // Signs `request` for `spiffe_id` (REQUIRES: already validated).
  // kFailedPrecondition when the CA has expired.
  Result<IssuedCertificate> Sign(const CertificateRequest& request,
                                 std::string_view spiffe_id, Timestamp now,
                                 std::chrono::seconds lifetime) const;

  // Checks that `pem` is one leaf certificate signed by this CA and returns
  // its facts; kUnauthenticated when it is not ours. Validity is not
  // checked here (callers compare not_after with their clock).
  Result<LeafFacts> InspectLeaf(std::string_view pem) const;

  // A PEM CRL listing `revoked`, valid for `validity` from `now`.
  Result<std::string> CrlPem(const std::vector<RevokedSerial>& revoked,
                             int64_t crl_number, Timestamp now,
                             std::chrono::seconds validity) const;

  const std::string& certificate_pem() const { return certificate_pem_; }
  // PKCS#8 PEM of the CA key. Callers store it with mode 0600.
  Result<std::string> PrivateKeyPem() const;

 private:
  CertificateAuthority(X509Ptr certificate, PkeyPtr key);

  X509Ptr certificate_;
  PkeyPtr key_;
  std::string certificate_pem_;
};

// PEM of one certificate; for tests and callers that convert.
std::string CertificateToPem(X509* certificate);

// The DER encoding of a PEM CRL (application/pkix-crl). kInternal when the
// PEM does not parse (callers pass CrlPem() output).
Result<std::string> CrlPemToDer(std::string_view pem);

}  // namespace warden::pki

#endif  // WARDEN_PKI_CERTIFICATE_AUTHORITY_H_
