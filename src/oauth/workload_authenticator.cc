// RFC 6750 (bearer use) and RFC 9068 section 4 (validating JWT access
// tokens) for Warden's own /v1 routes.
#include "oauth/workload_authenticator.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/api_token.h"
#include "core/crypto.h"
#include "tokens/token_error.h"

namespace warden::oauth {
namespace {

// A compact JWS longer than this is refused by the verifier anyway; the
// shape check need not scan more.
constexpr size_t kMaxShapeScan = 16 * 1024;

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

bool WorkloadAuthenticator::LooksLikeAccessToken(std::string_view presented) {
  if (presented.empty() || presented.size() > kMaxShapeScan) return false;
  if (presented.starts_with(kApiTokenPrefix)) return false;
  int dots = 0;
  for (char c : presented) {
    if (c == '.') {
      ++dots;
    } else if (!IsBase64UrlChar(c)) {
      return false;
    }
  }
  // Header and payload must be present; an empty signature segment is an
  // unsecured JWS, which is routed here so the verifier refuses it (401)
  // with its alg-none reason.
  return dots == 2 && presented.front() != '.';
}

Result<Principal> WorkloadAuthenticator::Authenticate(
    std::string_view token, std::string_view remote,
    std::string_view request_id, std::string_view certificate_thumbprint) {
  Result<tokens::AccessTokenClaims> claims = tokens_.VerifyAccessToken(token);
  std::string reason;
  if (!claims.ok()) {
    if (claims.status().code() == StatusCode::kUnavailable) {
      return claims.status();
    }
    reason = fmt::format("access token refused: {}", claims.status().message());
  } else if (!std::all_of(claims->audience.begin(), claims->audience.end(),
                          [&](const std::string& aud) {
                            return aud == tokens_.issuer();
                          })) {
    reason = "access token refused: issued for another audience";
  } else if (claims->certificate_thumbprint &&
             !ConstantTimeEquals(*claims->certificate_thumbprint,
                                 certificate_thumbprint)) {
    reason =
        "access token refused: bound to a client certificate (RFC 8705) "
        "this connection did not present";
  }
  if (!reason.empty()) {
    WARDEN_RETURN_IF_ERROR(
        auditor_.AuthenticationFailed(remote, reason, request_id));
    return Status(StatusCode::kUnauthenticated, reason, "invalid-token");
  }
  Principal principal;
  principal.subject = "client:" + claims->subject;
  principal.token_id = claims->jwt_id;
  principal.role = Role::kSdk;
  std::vector<std::string> scopes = claims->scopes;
  std::sort(scopes.begin(), scopes.end());
  principal.workload =
      WorkloadCredential{claims->subject, std::move(scopes), claims->jwt_id};
  return principal;
}

Status WorkloadAuthenticator::Refuse(const Caller& caller,
                                     std::string_view method,
                                     std::string_view route) {
  const std::string target = fmt::format("{} {}", method, route);
  return auditor_.Deny(
      caller, "workload.route", target,
      {false, fmt::format("{} does not accept a workload access token; use a "
                          "Warden API token",
                          target)});
}

}  // namespace warden::oauth
