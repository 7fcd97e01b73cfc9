// Private to src/tokens: ECDSA P-256 / SHA-256 on OpenSSL 3 (EVP), with JWS
// raw R||S signatures (RFC 7518 section 3.4) instead of OpenSSL's DER.
//
// An EVP_PKEY that is no longer modified may be used from several threads at
// once; every function here creates its own EVP contexts.
#ifndef WARDEN_TOKENS_P256_H_
#define WARDEN_TOKENS_P256_H_

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::tokens::p256 {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

inline constexpr size_t kCoordinateBytes = 32;
inline constexpr size_t kSignatureBytes = 64;  // R || S

Result<KeyPtr> Generate();
// RFC 5915 ECPrivateKey DER; kInvalidArgument unless it is a P-256 key.
Result<KeyPtr> FromPrivateDer(std::string_view der);
Result<std::string> ToPrivateDer(const EVP_PKEY& key);
// Affine coordinates, 32 bytes each, big-endian. kInvalidArgument when the
// point is not on the curve.
Result<KeyPtr> FromPublicCoordinates(std::string_view x, std::string_view y);
Status PublicCoordinates(const EVP_PKEY& key, std::string* x, std::string* y);

Result<std::string> Sign(const EVP_PKEY& key, std::string_view message);
bool Verify(const EVP_PKEY& key, std::string_view message,
            std::string_view signature);

}  // namespace warden::tokens::p256

#endif  // WARDEN_TOKENS_P256_H_
