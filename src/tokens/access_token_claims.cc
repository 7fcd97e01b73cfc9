// RFC 9068 section 2.2 claim set (RFC 7519 registered claims, RFC 8693
// section 4.2 "scope", RFC 8693 section 4.3 "client_id").
#include "tokens/access_token_claims.h"

#include <algorithm>
#include <array>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include "tokens/jose_json.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

Status Missing(std::string_view claim) {
  return TokenFailure(TokenError::kMissingClaim,
                      "claim \"" + std::string(claim) + "\" is required");
}

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ),
// separated by single spaces.
Result<std::vector<std::string>> SplitScope(std::string_view text) {
  std::vector<std::string> scopes;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const size_t end = std::min(text.find(' ', start), text.size());
    std::string_view token = text.substr(start, end - start);
    const bool valid =
        !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
          return c == 0x21 || (c >= 0x23 && c <= 0x5B) ||
                 (c >= 0x5D && c <= 0x7E);
        });
    if (!valid) {
      return TokenFailure(TokenError::kInvalidClaim,
                          "claim \"scope\" is not a space-separated list");
    }
    scopes.emplace_back(token);
    start = end + 1;
  }
  return scopes;
}

constexpr char kCertificateThumbprintMember[] = "x5t#S256";

// cnf.x5t#S256 (RFC 8705 section 3.1), when the token is bound.
Result<std::optional<std::string>> CertificateThumbprint(
    const boost::json::object& claims) {
  const boost::json::value* cnf = claims.if_contains("cnf");
  if (cnf == nullptr) return std::optional<std::string>();
  if (!cnf->is_object()) {
    return TokenFailure(TokenError::kMalformed,
                        "claim \"cnf\" must be an object");
  }
  WARDEN_ASSIGN_OR_RETURN(
      auto thumbprint,
      jose::OptionalString(cnf->get_object(), kCertificateThumbprintMember));
  if (!thumbprint) return std::optional<std::string>();
  // An empty thumbprint would match a connection without a certificate.
  if (thumbprint->empty()) {
    return TokenFailure(TokenError::kMalformed,
                        "claim \"cnf\": \"x5t#S256\" is empty");
  }
  return std::optional<std::string>(std::string(*thumbprint));
}

}  // namespace

std::string AccessTokenClaims::ScopeString() const {
  std::string out;
  for (const std::string& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

bool AccessTokenClaims::HasAudience(std::string_view wanted) const {
  return std::find(audience.begin(), audience.end(), wanted) != audience.end();
}

bool AccessTokenClaims::HasScope(std::string_view wanted) const {
  return std::find(scopes.begin(), scopes.end(), wanted) != scopes.end();
}

std::string EncodeAccessTokenClaims(const AccessTokenClaims& claims) {
  boost::json::object o;
  o["iss"] = claims.issuer;
  o["sub"] = claims.subject;
  if (claims.audience.size() == 1) {
    o["aud"] = claims.audience.front();
  } else {
    boost::json::array aud;
    for (const auto& a : claims.audience) aud.emplace_back(a);
    o["aud"] = std::move(aud);
  }
  o["exp"] = ToUnixSeconds(claims.expires_at);
  o["iat"] = ToUnixSeconds(claims.issued_at);
  if (claims.not_before) o["nbf"] = ToUnixSeconds(*claims.not_before);
  o["jti"] = claims.jwt_id;
  o["client_id"] = claims.client_id;
  o["scope"] = claims.ScopeString();
  if (claims.tenant) o[kTenantClaim] = *claims.tenant;
  if (claims.certificate_thumbprint) {
    o["cnf"] = boost::json::object{
        {kCertificateThumbprintMember, *claims.certificate_thumbprint}};
  }
  return boost::json::serialize(o);
}

Result<AccessTokenClaims> DecodeAccessTokenClaims(std::string_view payload,
                                                  const JwsLimits& limits) {
  // Claim sets are a few hundred bytes: parse into a stack arena so the
  // verification hot path does not touch the heap for JSON.
  std::array<unsigned char, 4096> buffer;
  boost::json::monotonic_resource arena(buffer.data(), buffer.size());
  WARDEN_ASSIGN_OR_RETURN(
      boost::json::object o,
      jose::ParseObject(payload, limits.max_json_depth, &arena, "JWT claims"));
  AccessTokenClaims c;
  WARDEN_ASSIGN_OR_RETURN(std::string_view iss, jose::RequiredString(o, "iss"));
  WARDEN_ASSIGN_OR_RETURN(std::string_view sub, jose::RequiredString(o, "sub"));
  WARDEN_ASSIGN_OR_RETURN(std::string_view jti, jose::RequiredString(o, "jti"));
  WARDEN_ASSIGN_OR_RETURN(std::string_view client_id,
                          jose::RequiredString(o, "client_id"));
  c.issuer = iss;
  c.subject = sub;
  c.jwt_id = jti;
  c.client_id = client_id;
  WARDEN_ASSIGN_OR_RETURN(c.audience,
                          jose::Audience(o, limits.max_array_items));
  if (c.audience.empty()) return Missing("aud");
  WARDEN_ASSIGN_OR_RETURN(auto exp, jose::OptionalNumericDate(o, "exp"));
  WARDEN_ASSIGN_OR_RETURN(auto iat, jose::OptionalNumericDate(o, "iat"));
  WARDEN_ASSIGN_OR_RETURN(c.not_before, jose::OptionalNumericDate(o, "nbf"));
  if (!exp) return Missing("exp");
  if (!iat) return Missing("iat");
  c.expires_at = *exp;
  c.issued_at = *iat;
  WARDEN_ASSIGN_OR_RETURN(auto scope, jose::OptionalString(o, "scope"));
  if (scope) {
    WARDEN_ASSIGN_OR_RETURN(c.scopes, SplitScope(*scope));
  }
  WARDEN_ASSIGN_OR_RETURN(auto tenant, jose::OptionalString(o, kTenantClaim));
  if (tenant) c.tenant = std::string(*tenant);
  WARDEN_ASSIGN_OR_RETURN(c.certificate_thumbprint, CertificateThumbprint(o));
  return c;
}

}  // namespace warden::tokens
