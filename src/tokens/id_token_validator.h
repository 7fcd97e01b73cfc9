// IdTokenValidator: validation of an OpenID Connect ID Token received from
// the token endpoint in the authorization code flow (OpenID Connect Core 1.0
// sections 2 and 3.1.3.7).
//
// An id_token is accepted when:
//   - it is a compact JWS (encrypted id_tokens, i.e. JWE, are refused as
//     malformed) signed with RS256, ES256 or EdDSA by a key of the provider's
//     JWKS: by kid, or without kid by any key of the header's alg; "none"
//     and HMAC are refused before any key is touched (3.1.3.7 steps 6-8);
//   - iss is exactly the provider's issuer identifier (step 2);
//   - aud contains the client_id; an aud with other audiences as well
//     needs azp, and azp, when present, must be the client_id (steps 3-5);
//   - exp is present and now < exp + leeway (step 9);
//   - iat is present, not more than leeway in the future and not older than
//     max_token_age (step 10: the exchange happens right after sign-in);
//   - nonce is present and equals the nonce sent in the authentication
//     request (step 11; compared in constant time);
//   - sub is present, 1..255 characters (section 2).
// acr, amr and auth_time are not requested, so not checked (steps 12-13).
//
// Refusals are TokenFailure()s (token_error.h): kMalformed, kAlgNone,
// kAlgNotAllowed, kUnknownKey (no key with that kid: the caller may refresh
// the provider's JWKS once and retry), kBadSignature, kWrongIssuer,
// kWrongAudience, kExpired, kNotYetValid, kMissingClaim, kInvalidClaim.
//
// Thread-safety: pure functions of their arguments.
#ifndef WARDEN_TOKENS_ID_TOKEN_VALIDATOR_H_
#define WARDEN_TOKENS_ID_TOKEN_VALIDATOR_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"

namespace warden::tokens {

struct IdTokenExpectations {
  std::string issuer;     // the provider's issuer identifier, exactly
  std::string client_id;  // Warden's client_id at the provider
  std::string nonce;      // sent in the authentication request
  // Clock skew between Warden and the provider.
  std::chrono::seconds leeway{60};
  // The code is exchanged seconds after the provider issues it; an older
  // id_token is a replay, not a sign-in.
  std::chrono::seconds max_token_age{600};
  // Limits on the token; RS256 allowed (the OpenID Connect default alg).
  JwsLimits limits = [] {
    JwsLimits l;
    l.allow_rs256 = true;
    return l;
  }();
};

// A validated id_token: the identifying claims, and the whole claim set for
// mapping (user name, email, roles).
struct IdTokenClaims {
  std::string issuer;
  std::string subject;
  std::string kid;  // the key that verified it (empty if the header had none)
  Timestamp issued_at{};
  Timestamp expires_at{};
  boost::json::object claims;

  // A string claim; nullopt when absent or not a string.
  std::optional<std::string> StringClaim(std::string_view name) const;
  // A string claim, or every string of an array claim (others ignored);
  // empty when absent.
  std::vector<std::string> StringListClaim(std::string_view name) const;
};

// Validates `id_token` against `keys` (the provider's JWKS) and
// `expected`, at time `now`.
Result<IdTokenClaims> ValidateIdToken(std::string_view id_token,
                                      const Jwks& keys,
                                      const IdTokenExpectations& expected,
                                      Timestamp now);

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_ID_TOKEN_VALIDATOR_H_
