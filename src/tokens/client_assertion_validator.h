// ClientAssertionValidator: private_key_jwt client authentication
// (RFC 7523 sections 2.2 and 3, OpenID Connect Core section 9).
//
// An assertion is accepted when:
//   - it is a compact JWS signed with EdDSA (alg "EdDSA" or "Ed25519") or
//     ES256 by a key of the client's registered JWKS (by kid; without kid,
//     any key of the right type may match);
//   - its typ, if any, is not "at+jwt" (an access token is not an assertion);
//   - iss = sub = the client_id;
//   - aud contains the token endpoint URL or the issuer URL (many clients
//     send the latter);
//   - exp is present, not past (leeway), and at most max_lifetime ahead;
//     nbf/iat, if present, are not in the future (leeway);
//   - jti is present and not seen before (ReplayCache), checked last so
//     invalid assertions never occupy the cache.
// Refusals are TokenFailure()s (token_error.h); the OAuth layer answers
// invalid_client for all of them.
//
// Thread-safety: Validate() may be called concurrently. The cache and clock
// are borrowed and must outlive the validator.
#ifndef WARDEN_TOKENS_CLIENT_ASSERTION_VALIDATOR_H_
#define WARDEN_TOKENS_CLIENT_ASSERTION_VALIDATOR_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"
#include "tokens/replay_cache.h"

namespace warden::tokens {

// RFC 7523 section 2.2: the client_assertion_type form value.
inline constexpr std::string_view kJwtBearerClientAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct ClientAssertionOptions {
  std::string token_endpoint;  // e.g. "https://warden.example/oauth/token"
  std::string issuer;          // e.g. "https://warden.example"
  // Assertions are single-use proofs: minutes, never hours.
  std::chrono::seconds max_lifetime{300};
  std::chrono::seconds leeway{30};
  // jti is stored in the replay cache: bound what a client can make us keep.
  size_t max_jti_length = 256;
  JwsLimits limits;
};

struct ClientAssertionClaims {
  std::string client_id;
  std::string jwt_id;
  Timestamp expires_at;
  std::string kid;  // the key that verified it
};

// Reads the unverified iss of an assertion, to find the client whose JWKS
// must verify it (when the request carries no client_id). Never trust the
// result before Validate() succeeds. kMalformed / kMissingClaim /
// kInvalidClaim (iss != sub).
Result<std::string> PeekClientAssertionClientId(std::string_view assertion,
                                                const JwsLimits& limits = {});

class ClientAssertionValidator {
 public:
  ClientAssertionValidator(ClientAssertionOptions options,
                           ReplayCache& replay_cache, const Clock& clock);

  // `client_id`: the client being authenticated; `client_keys`: its
  // registered JWKS.
  Result<ClientAssertionClaims> Validate(std::string_view assertion,
                                         std::string_view client_id,
                                         const Jwks& client_keys) const;

 private:
  Result<std::string> VerifySignature(const ParsedJws& jws,
                                      const Jwks& keys) const;
  Status CheckTimes(std::optional<Timestamp> exp, std::optional<Timestamp> nbf,
                    std::optional<Timestamp> iat, Timestamp now) const;

  // Immutable after construction.
  const ClientAssertionOptions options_;
  ReplayCache& replay_cache_;
  const Clock& clock_;
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_CLIENT_ASSERTION_VALIDATOR_H_
