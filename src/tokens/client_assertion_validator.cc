// RFC 7523 section 3 (JWT client authentication) and RFC 7521 section 4.2.
#include "tokens/client_assertion_validator.h"

#include <algorithm>
#include <array>
#include <boost/json/monotonic_resource.hpp>

#include "tokens/access_token_claims.h"
#include "tokens/jose_json.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

bool IsAccessTokenTyp(std::string_view typ) {
  return typ == kAccessTokenType || typ == "application/at+jwt";
}

}  // namespace

Result<std::string> PeekClientAssertionClientId(std::string_view assertion,
                                                const JwsLimits& limits) {
  WARDEN_ASSIGN_OR_RETURN(ParsedJws jws, ParseCompactJws(assertion, limits));
  std::array<unsigned char, 4096> buffer;
  boost::json::monotonic_resource arena(buffer.data(), buffer.size());
  WARDEN_ASSIGN_OR_RETURN(
      auto claims, jose::ParseObject(jws.payload, limits.max_json_depth, &arena,
                                     "assertion claims"));
  WARDEN_ASSIGN_OR_RETURN(std::string_view iss,
                          jose::RequiredString(claims, "iss"));
  WARDEN_ASSIGN_OR_RETURN(std::string_view sub,
                          jose::RequiredString(claims, "sub"));
  if (iss != sub || iss.empty()) {
    return TokenFailure(TokenError::kInvalidClaim,
                        "assertion iss and sub must both be the client_id");
  }
  return std::string(iss);
}

ClientAssertionValidator::ClientAssertionValidator(
    ClientAssertionOptions options, ReplayCache& replay_cache,
    const Clock& clock)
    : options_(std::move(options)),
      replay_cache_(replay_cache),
      clock_(clock) {}

Result<std::string> ClientAssertionValidator::VerifySignature(
    const ParsedJws& jws, const Jwks& keys) const {
  if (!jws.header.kid.empty()) {
    WARDEN_RETURN_IF_ERROR(VerifyJwsWithResolver(jws, keys));
    return jws.header.kid;
  }
  // No kid: try every registered key of the header's algorithm. The JWKS
  // is bounded (JwksLimits::max_keys), so this is bounded work.
  bool any_candidate = false;
  for (const auto& key : keys.keys()) {
    if (!key->Accepts(jws.header.alg)) continue;
    any_candidate = true;
    if (key->Verify(jws.signing_input, jws.signature)) return key->kid();
  }
  if (!any_candidate) {
    return TokenFailure(TokenError::kUnknownKey,
                        "client has no registered key for this alg");
  }
  return TokenFailure(TokenError::kBadSignature,
                      "assertion signature does not verify");
}

Status ClientAssertionValidator::CheckTimes(std::optional<Timestamp> exp,
                                            std::optional<Timestamp> nbf,
                                            std::optional<Timestamp> iat,
                                            Timestamp now) const {
  if (!exp) {
    return TokenFailure(TokenError::kMissingClaim,
                        "assertion claim \"exp\" is required");
  }
  if (now >= *exp + options_.leeway) {
    return TokenFailure(TokenError::kExpired, "assertion has expired");
  }
  if (*exp > now + options_.max_lifetime + options_.leeway) {
    return TokenFailure(TokenError::kInvalidClaim,
                        "assertion exp is more than " +
                            std::to_string(options_.max_lifetime.count()) +
                            "s ahead");
  }
  if ((nbf && now + options_.leeway < *nbf) ||
      (iat && now + options_.leeway < *iat)) {
    return TokenFailure(TokenError::kNotYetValid, "assertion is not yet valid");
  }
  return Status::Ok();
}

Result<ClientAssertionClaims> ClientAssertionValidator::Validate(
    std::string_view assertion, std::string_view client_id,
    const Jwks& client_keys) const {
  WARDEN_ASSIGN_OR_RETURN(ParsedJws jws,
                          ParseCompactJws(assertion, options_.limits));
  if (IsAccessTokenTyp(jws.header.typ)) {
    return TokenFailure(TokenError::kWrongType,
                        "an access token is not a client assertion");
  }
  ClientAssertionClaims out;
  WARDEN_ASSIGN_OR_RETURN(out.kid, VerifySignature(jws, client_keys));

  std::array<unsigned char, 4096> buffer;
  boost::json::monotonic_resource arena(buffer.data(), buffer.size());
  WARDEN_ASSIGN_OR_RETURN(
      auto claims,
      jose::ParseObject(jws.payload, options_.limits.max_json_depth, &arena,
                        "assertion claims"));
  WARDEN_ASSIGN_OR_RETURN(std::string_view iss,
                          jose::RequiredString(claims, "iss"));
  WARDEN_ASSIGN_OR_RETURN(std::string_view sub,
                          jose::RequiredString(claims, "sub"));
  if (iss != client_id) {
    return TokenFailure(TokenError::kWrongIssuer,
                        "assertion iss is not the client_id");
  }
  if (sub != client_id) {
    return TokenFailure(TokenError::kInvalidClaim,
                        "assertion sub is not the client_id");
  }
  WARDEN_ASSIGN_OR_RETURN(
      auto audience, jose::Audience(claims, options_.limits.max_array_items));
  const bool audience_ok = std::any_of(
      audience.begin(), audience.end(), [this](const std::string& a) {
        return a == options_.token_endpoint || a == options_.issuer;
      });
  if (!audience_ok) {
    return TokenFailure(TokenError::kWrongAudience,
                        "assertion aud must be the token endpoint or issuer");
  }
  WARDEN_ASSIGN_OR_RETURN(auto exp, jose::OptionalNumericDate(claims, "exp"));
  WARDEN_ASSIGN_OR_RETURN(auto nbf, jose::OptionalNumericDate(claims, "nbf"));
  WARDEN_ASSIGN_OR_RETURN(auto iat, jose::OptionalNumericDate(claims, "iat"));
  const Timestamp now = clock_.Now();
  WARDEN_RETURN_IF_ERROR(CheckTimes(exp, nbf, iat, now));
  WARDEN_ASSIGN_OR_RETURN(std::string_view jti,
                          jose::RequiredString(claims, "jti"));
  if (jti.empty() || jti.size() > options_.max_jti_length) {
    return TokenFailure(TokenError::kInvalidClaim,
                        "assertion jti must be 1.." +
                            std::to_string(options_.max_jti_length) +
                            " characters");
  }
  // Remember it for as long as it would be accepted.
  WARDEN_RETURN_IF_ERROR(replay_cache_.CheckAndInsert(
      client_id, jti, *exp + options_.leeway, now));
  out.client_id = std::string(client_id);
  out.jwt_id = std::string(jti);
  out.expires_at = *exp;
  return out;
}

}  // namespace warden::tokens
