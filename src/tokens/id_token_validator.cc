// OpenID Connect Core 1.0 section 3.1.3.7 (ID Token Validation) and section
// 2 (the ID Token's claims).
#include "tokens/id_token_validator.h"

#include <algorithm>

#include "core/crypto.h"
#include "tokens/jose_json.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

// OpenID Connect Core section 2: sub "MUST NOT exceed 255 ASCII characters".
constexpr size_t kMaxSubjectLength = 255;

// The key that verifies `jws`: by kid, or (no kid, as providers with one
// key do) any key of the header's alg. The set is bounded by
// JwksLimits::max_keys, so trying each is bounded work.
Result<std::string> VerifySignature(const ParsedJws& jws, const Jwks& keys) {
  if (!jws.header.kid.empty()) {
    WARDEN_RETURN_IF_ERROR(VerifyJwsWithResolver(jws, keys));
    return jws.header.kid;
  }
  bool any_candidate = false;
  for (const auto& key : keys.keys()) {
    if (!key->Accepts(jws.header.alg)) continue;
    any_candidate = true;
    if (key->Verify(jws.signing_input, jws.signature)) return std::string();
  }
  if (!any_candidate) {
    return TokenFailure(TokenError::kUnknownKey,
                        "the provider publishes no key for this alg");
  }
  return TokenFailure(TokenError::kBadSignature,
                      "id_token signature does not verify");
}

Status CheckAudience(const boost::json::object& claims,
                     const IdTokenExpectations& expected) {
  WARDEN_ASSIGN_OR_RETURN(
      auto audience, jose::Audience(claims, expected.limits.max_array_items));
  if (std::find(audience.begin(), audience.end(), expected.client_id) ==
      audience.end()) {
    return TokenFailure(TokenError::kWrongAudience,
                        "id_token aud does not contain the client_id");
  }
  WARDEN_ASSIGN_OR_RETURN(auto azp, jose::OptionalString(claims, "azp"));
  if (audience.size() > 1 && !azp) {
    return TokenFailure(TokenError::kWrongAudience,
                        "id_token has several audiences and no azp");
  }
  if (azp && *azp != expected.client_id) {
    return TokenFailure(TokenError::kWrongAudience,
                        "id_token azp is not the client_id");
  }
  return Status::Ok();
}

Status CheckTimes(const boost::json::object& claims,
                  const IdTokenExpectations& expected, Timestamp now,
                  IdTokenClaims& out) {
  WARDEN_ASSIGN_OR_RETURN(auto exp, jose::OptionalNumericDate(claims, "exp"));
  WARDEN_ASSIGN_OR_RETURN(auto iat, jose::OptionalNumericDate(claims, "iat"));
  if (!exp || !iat) {
    return TokenFailure(TokenError::kMissingClaim,
                        "id_token claims \"exp\" and \"iat\" are required");
  }
  if (now >= *exp + expected.leeway) {
    return TokenFailure(TokenError::kExpired, "id_token has expired");
  }
  if (now + expected.leeway < *iat) {
    return TokenFailure(TokenError::kNotYetValid,
                        "id_token iat is in the future");
  }
  if (*iat + expected.max_token_age + expected.leeway < now) {
    return TokenFailure(TokenError::kExpired,
                        "id_token was issued more than " +
                            std::to_string(expected.max_token_age.count()) +
                            "s ago");
  }
  out.issued_at = *iat;
  out.expires_at = *exp;
  return Status::Ok();
}

Status CheckNonce(const boost::json::object& claims,
                  const IdTokenExpectations& expected) {
  WARDEN_ASSIGN_OR_RETURN(auto nonce, jose::OptionalString(claims, "nonce"));
  if (!nonce) {
    return TokenFailure(TokenError::kMissingClaim,
                        "id_token has no nonce, and one was sent");
  }
  if (expected.nonce.empty() || !ConstantTimeEquals(*nonce, expected.nonce)) {
    return TokenFailure(TokenError::kInvalidClaim,
                        "id_token nonce does not match the sign-in request");
  }
  return Status::Ok();
}

}  // namespace

std::optional<std::string> IdTokenClaims::StringClaim(
    std::string_view name) const {
  const boost::json::value* value = claims.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

std::vector<std::string> IdTokenClaims::StringListClaim(
    std::string_view name) const {
  std::vector<std::string> out;
  const boost::json::value* value = claims.if_contains(name);
  if (value == nullptr) return out;
  if (value->is_string()) {
    out.emplace_back(value->get_string());
  } else if (value->is_array()) {
    for (const boost::json::value& item : value->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

Result<IdTokenClaims> ValidateIdToken(std::string_view id_token,
                                      const Jwks& keys,
                                      const IdTokenExpectations& expected,
                                      Timestamp now) {
  WARDEN_ASSIGN_OR_RETURN(ParsedJws jws,
                          ParseCompactJws(id_token, expected.limits));
  IdTokenClaims out;
  WARDEN_ASSIGN_OR_RETURN(out.kid, VerifySignature(jws, keys));
  WARDEN_ASSIGN_OR_RETURN(
      out.claims, jose::ParseObject(jws.payload, expected.limits.max_json_depth,
                                    {}, "id_token claims"));
  WARDEN_ASSIGN_OR_RETURN(std::string_view iss,
                          jose::RequiredString(out.claims, "iss"));
  if (iss != expected.issuer) {
    return TokenFailure(TokenError::kWrongIssuer,
                        "id_token iss is not the configured issuer");
  }
  WARDEN_RETURN_IF_ERROR(CheckAudience(out.claims, expected));
  WARDEN_RETURN_IF_ERROR(CheckTimes(out.claims, expected, now, out));
  WARDEN_RETURN_IF_ERROR(CheckNonce(out.claims, expected));
  WARDEN_ASSIGN_OR_RETURN(std::string_view sub,
                          jose::RequiredString(out.claims, "sub"));
  if (sub.empty() || sub.size() > kMaxSubjectLength) {
    return TokenFailure(TokenError::kInvalidClaim,
                        "id_token sub must be 1..255 characters");
  }
  out.issuer = std::string(iss);
  out.subject = std::string(sub);
  return out;
}

}  // namespace warden::tokens
