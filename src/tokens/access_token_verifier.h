// AccessTokenVerifier: validates an RFC 9068 JWT access token (section 4)
// and returns its claims.
//
// Refusals, each a distinct TokenError (token_error.h), in check order:
//   kMalformed      not a compact JWS within JwsLimits; bad claim JSON
//   kAlgNone        alg none
//   kAlgNotAllowed  HS256 (even "signed" with the public key) and any alg
//                   outside EdDSA/Ed25519/ES256, or not the key's alg
//   kWrongType      header typ is not "at+jwt" (also "application/at+jwt")
//   kUnknownKey     kid absent or not published by the KeyResolver
//   kBadSignature   tampered header/payload or wrong key
//   kMissingClaim   iss, sub, aud, exp, iat, jti or client_id absent
//   kWrongIssuer    iss is not the configured issuer
//   kWrongAudience  aud does not contain the configured audience
//   kExpired        now >= exp + leeway
//   kNotYetValid    now < nbf - leeway, or iat in the future beyond leeway
// Revocation is separate (RevocationState::IsActive), because it needs
// state the token does not carry.
//
// Cost: one base64 decode per segment, header and claims JSON parsed into
// stack arenas, one signature check; a handful of small heap allocations
// for the returned strings (measured in bench/tokens_bench.cc).
//
// Thread-safety: Verify() may be called from any number of threads at
// once; the resolver and clock are borrowed and must outlive the verifier.
#ifndef WARDEN_TOKENS_ACCESS_TOKEN_VERIFIER_H_
#define WARDEN_TOKENS_ACCESS_TOKEN_VERIFIER_H_

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "tokens/access_token_claims.h"
#include "tokens/jws.h"
#include "tokens/key_resolver.h"

namespace warden::tokens {

struct AccessTokenVerifierOptions {
  std::string issuer;    // expected "iss"
  std::string audience;  // expected member of "aud"
  // Clock skew tolerated on exp/nbf/iat. Small on purpose: tokens live
  // minutes, so a minute of leeway would extend them noticeably.
  std::chrono::seconds leeway{30};
  JwsLimits limits;
};

class AccessTokenVerifier {
 public:
  AccessTokenVerifier(AccessTokenVerifierOptions options,
                      const KeyResolver& keys, const Clock& clock);

  Result<AccessTokenClaims> Verify(std::string_view token) const;

 private:
  Status CheckClaims(const AccessTokenClaims& claims) const;

  // Immutable after construction.
  const AccessTokenVerifierOptions options_;
  const KeyResolver& keys_;
  const Clock& clock_;
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_ACCESS_TOKEN_VERIFIER_H_
