// PKCS#10 certificate signing requests (RFC 2986) from untrusted PEM.
//
// Parsing checks, in order: size <= kMaxCsrPemBytes, exactly one PEM
// "CERTIFICATE REQUEST" block, the public key type (Ed25519, EC P-256, or
// RSA of at least 2048 and at most 8192 bits), and the self-signature
// (proof of possession). Everything else the CSR asks for (subject,
// extensions, SANs) is ignored: the CA decides the leaf's contents.
//
// Thread-safe (no shared state). Movable, not copyable.
#ifndef WARDEN_PKI_CERTIFICATE_REQUEST_H_
#define WARDEN_PKI_CERTIFICATE_REQUEST_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "pki/openssl_handles.h"

namespace warden::pki {

// Bound on CSR text: a PEM RSA-8192 request is about 4 KiB.
inline constexpr size_t kMaxCsrPemBytes = 16 * 1024;
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

// SubjectPublicKeyInfo DER of `key`; empty on failure.
std::string PublicKeyDer(const EVP_PKEY* key);

class CertificateRequest {
 public:
  // kInvalidArgument (problem "invalid-csr") naming what is wrong.
  static Result<CertificateRequest> Parse(std::string_view pem);

  // The requested public key (owned by the request).
  EVP_PKEY* public_key() const { return key_.get(); }
  // SubjectPublicKeyInfo DER of the requested key.
  std::string public_key_der() const { return PublicKeyDer(key_.get()); }
  // "ed25519", "ec-p256" or "rsa-<bits>".
  const std::string& key_type() const { return key_type_; }

 private:
  CertificateRequest(X509ReqPtr request, PkeyPtr key, std::string key_type)
      : request_(std::move(request)),
        key_(std::move(key)),
        key_type_(std::move(key_type)) {}

  X509ReqPtr request_;
  PkeyPtr key_;
  std::string key_type_;
};

// kInvalidArgument unless `key` is an accepted workload key type; on
// success returns its name as key_type() above.
Result<std::string> CheckWorkloadKey(EVP_PKEY* key);

}  // namespace warden::pki

#endif  // WARDEN_PKI_CERTIFICATE_REQUEST_H_
