// AccessTokenClaims: the claim set of a JWT access token (RFC 9068
// section 2.2), plus Warden's optional "tenant" claim for tenant-bound
// tokens. Encode/Decode convert to and from the JWT payload JSON.
//
// Thread-safety: a plain value type.
#ifndef WARDEN_TOKENS_ACCESS_TOKEN_CLAIMS_H_
#define WARDEN_TOKENS_ACCESS_TOKEN_CLAIMS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "tokens/jws.h"

namespace warden::tokens {

// The JWS "typ" of access tokens (RFC 9068 section 2.1).
inline constexpr std::string_view kAccessTokenType = "at+jwt";
// The private claim that binds a token to one tenant.
inline constexpr std::string_view kTenantClaim = "tenant";

struct AccessTokenClaims {
  std::string issuer;                   // iss
  std::string subject;                  // sub: the identity id
  std::vector<std::string> audience;    // aud: one or more resource servers
  Timestamp issued_at;                  // iat (whole seconds)
  Timestamp expires_at;                 // exp (whole seconds)
  std::optional<Timestamp> not_before;  // nbf
  std::string jwt_id;                   // jti: unique per token
  std::string client_id;                // client_id
  std::vector<std::string> scopes;      // scope, space-separated on the wire
  std::optional<std::string> tenant;    // tenant-bound tokens only
  // cnf "x5t#S256" (RFC 8705 section 3.1): the base64url SHA-256 of the
  // client certificate the token is bound to; only a request over mutual
  // TLS with that certificate may use it.
  std::optional<std::string> certificate_thumbprint;

  // "a b c".
  std::string ScopeString() const;
  bool HasAudience(std::string_view audience) const;
  bool HasScope(std::string_view scope) const;
};

// The payload JSON. "aud" is a string when there is one audience.
std::string EncodeAccessTokenClaims(const AccessTokenClaims& claims);

// Parses a payload. kMalformed for bad JSON, kMissingClaim when iss, sub,
// aud, exp, iat, jti or client_id is absent, kInvalidClaim for a malformed
// scope; a "cnf" that is not an object, or whose "x5t#S256" is not a
// non-empty string, is malformed. Other confirmation methods in "cnf" are
// ignored. Unknown claims are ignored (RFC 7519 section 4).
Result<AccessTokenClaims> DecodeAccessTokenClaims(std::string_view payload,
                                                  const JwsLimits& limits = {});

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_ACCESS_TOKEN_CLAIMS_H_
