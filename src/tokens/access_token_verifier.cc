// RFC 9068 section 4: validating JWT access tokens.
#include "tokens/access_token_verifier.h"

#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

// RFC 9068 section 4 step 2 allows the media type with its prefix; RFC 7515
// section 4.1.9 says the comparison is case-insensitive.
bool IsAccessTokenType(std::string_view typ) {
  constexpr std::string_view kPrefix = "application/";
  auto lower_equals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      const char c = (a[i] >= 'A' && a[i] <= 'Z') ? a[i] - 'A' + 'a' : a[i];
      if (c != b[i]) return false;
    }
    return true;
  };
  if (typ.size() > kPrefix.size() &&
      lower_equals(typ.substr(0, kPrefix.size()), kPrefix)) {
    typ.remove_prefix(kPrefix.size());
  }
  return lower_equals(typ, kAccessTokenType);
}

}  // namespace

AccessTokenVerifier::AccessTokenVerifier(AccessTokenVerifierOptions options,
                                         const KeyResolver& keys,
                                         const Clock& clock)
    : options_(std::move(options)), keys_(keys), clock_(clock) {}

Result<AccessTokenClaims> AccessTokenVerifier::Verify(
    std::string_view token) const {
  WARDEN_ASSIGN_OR_RETURN(ParsedJws jws,
                          ParseCompactJws(token, options_.limits));
  if (!IsAccessTokenType(jws.header.typ)) {
    return TokenFailure(TokenError::kWrongType, "header typ is not \"at+jwt\"");
  }
  WARDEN_RETURN_IF_ERROR(VerifyJwsWithResolver(jws, keys_));
  WARDEN_ASSIGN_OR_RETURN(
      AccessTokenClaims claims,
      DecodeAccessTokenClaims(jws.payload, options_.limits));
  WARDEN_RETURN_IF_ERROR(CheckClaims(claims));
  return claims;
}

Status AccessTokenVerifier::CheckClaims(const AccessTokenClaims& c) const {
  if (c.issuer != options_.issuer) {
    return TokenFailure(TokenError::kWrongIssuer,
                        "token issuer is not \"" + options_.issuer + "\"");
  }
  if (!c.HasAudience(options_.audience)) {
    return TokenFailure(
        TokenError::kWrongAudience,
        "token audience does not include \"" + options_.audience + "\"");
  }
  const Timestamp now = clock_.Now();
  if (now >= c.expires_at + options_.leeway) {
    return TokenFailure(TokenError::kExpired, "token has expired");
  }
  if ((c.not_before && now + options_.leeway < *c.not_before) ||
      now + options_.leeway < c.issued_at) {
    return TokenFailure(TokenError::kNotYetValid, "token is not yet valid");
  }
  return Status::Ok();
}

}  // namespace warden::tokens
