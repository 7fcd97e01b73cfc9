// JWS signature algorithms Warden signs and verifies (RFC 7518, RFC 8037,
// and the fully specified "Ed25519" name of draft-ietf-jose-fully-specified-
// algorithms, which some clients send for client assertions).
//
// The set is closed on purpose: "none", HMAC ("HS256" and friends, which
// invite the public-key-as-HMAC-secret confusion) and anything unknown are
// refused before any key is touched. RS256 (RFC 7518 section 3.3) is only
// verified, never signed, and only where a caller opts in
// (JwsLimits::allow_rs256: an OpenID provider's id_tokens).
#ifndef WARDEN_TOKENS_JWS_ALGORITHM_H_
#define WARDEN_TOKENS_JWS_ALGORITHM_H_

#include <string_view>

#include "core/status.h"

namespace warden::tokens {

enum class JwsAlgorithm {
  kEdDSA,  // Ed25519 via libsodium (RFC 8037); wire names EdDSA, Ed25519
  kES256,  // ECDSA P-256 SHA-256 via OpenSSL, raw R||S (RFC 7518 3.4)
  kRS256,  // RSASSA-PKCS1-v1_5 SHA-256 via OpenSSL; verification only
};

// The name Warden writes in headers and JWKs: "EdDSA", "ES256" or "RS256".
std::string_view Name(JwsAlgorithm alg);

// Maps a header "alg" to an algorithm. Refusals (TokenFailure):
// kAlgNone for "none" (any case), kAlgNotAllowed for everything else unknown.
Result<JwsAlgorithm> ParseJwsAlgorithm(std::string_view alg);

// Signing algorithms for configuration text: "EdDSA"/"Ed25519" or "ES256";
// kInvalidArgument otherwise (RS256 included: Warden does not sign with it).
Result<JwsAlgorithm> ParseJwsAlgorithmName(std::string_view name);

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_JWS_ALGORITHM_H_
