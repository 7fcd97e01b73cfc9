// Private to src/tokens: RSASSA-PKCS1-v1_5 with SHA-256 (JWS "RS256", RFC
// 7518 section 3.3) verification on OpenSSL 3 (EVP), for OpenID providers'
// id_tokens. Warden never signs with RSA; only public keys are handled.
//
// An EVP_PKEY that is no longer modified may be used from several threads at
// once; every function here creates its own EVP contexts.
#ifndef WARDEN_TOKENS_RSA_PKCS1_H_
#define WARDEN_TOKENS_RSA_PKCS1_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "tokens/p256.h"

namespace warden::tokens::rsa {

using KeyPtr = p256::KeyPtr;  // an owned EVP_PKEY

// RFC 7518 section 3.3: "A key of size 2048 bits or larger MUST be used".
inline constexpr int kMinModulusBits = 2048;
// Bounds verification work an issuer's key set can demand (and the
// signature size a token may carry).
inline constexpr int kMaxModulusBits = 8192;
inline constexpr size_t kMaxSignatureBytes = kMaxModulusBits / 8;

// `n` and `e`: the big-endian modulus and public exponent (RFC 7518 section
// 6.3.1). kInvalidArgument when the modulus is outside
// [kMinModulusBits, kMaxModulusBits], the exponent is even, 1 or over 32
// bits, or OpenSSL refuses the key.
Result<KeyPtr> FromPublicComponents(std::string_view n, std::string_view e);

// The modulus and exponent as minimal big-endian bytes.
Status PublicComponents(const EVP_PKEY& key, std::string* n, std::string* e);

// True when `signature` is a valid RS256 signature of `message`. The
// signature must be exactly the modulus length (RFC 8017 section 8.2.2).
bool Verify(const EVP_PKEY& key, std::string_view message,
            std::string_view signature);

}  // namespace warden::tokens::rsa

#endif  // WARDEN_TOKENS_RSA_PKCS1_H_
