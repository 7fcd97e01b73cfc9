// TokenError: the closed set of reasons a token, assertion or key is refused.
//
// Every refusal is a Status with code kUnauthenticated (the caller presented
// a bad credential) and a stable problem slug that names the reason, so the
// OAuth layer can map it (invalid_token, invalid_client, invalid_grant) and
// tests can tell the refusals apart. TokenErrorOf() recovers the reason from
// a Status. Messages never contain token text or key material.
#ifndef WARDEN_TOKENS_TOKEN_ERROR_H_
#define WARDEN_TOKENS_TOKEN_ERROR_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::tokens {

enum class TokenError {
  kMalformed,      // not a well-formed JWS/JWT within the limits
  kAlgNone,        // "alg": "none" (unsecured JWS)
  kAlgNotAllowed,  // any alg but EdDSA/Ed25519/ES256, or not the key's
  kBadSignature,   // signature does not verify (tampered or wrong key)
  kUnknownKey,     // no published key with that kid
  kWrongType,      // header typ is not the expected one
  kWrongIssuer,    // iss is not the expected issuer
  kWrongAudience,  // aud does not contain the expected audience
  kExpired,        // now >= exp + leeway
  kNotYetValid,    // now < nbf (or iat) - leeway
  kMissingClaim,   // a required claim is absent or of the wrong type
  kInvalidClaim,   // a claim is present but violates a rule
  kReplayed,       // a client assertion's jti was already used
  kInactive,       // revoked: identity/tenant epoch or jti deny-list
};

// Stable slug, e.g. "token-expired"; used as the Status problem.
std::string_view ProblemSlug(TokenError error);

// kUnauthenticated Status carrying `error`'s slug and `message`.
Status TokenFailure(TokenError error, std::string message);

// The reason behind a Status made by TokenFailure(); nullopt for others.
std::optional<TokenError> TokenErrorOf(const Status& status);

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_TOKEN_ERROR_H_
