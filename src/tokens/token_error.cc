#include "tokens/token_error.h"

#include <array>
#include <utility>

namespace warden::tokens {
namespace {

constexpr std::array<std::pair<TokenError, std::string_view>, 14> kSlugs = {{
    {TokenError::kMalformed, "token-malformed"},
    {TokenError::kAlgNone, "token-alg-none"},
    {TokenError::kAlgNotAllowed, "token-alg-not-allowed"},
    {TokenError::kBadSignature, "token-bad-signature"},
    {TokenError::kUnknownKey, "token-unknown-key"},
    {TokenError::kWrongType, "token-wrong-type"},
    {TokenError::kWrongIssuer, "token-wrong-issuer"},
    {TokenError::kWrongAudience, "token-wrong-audience"},
    {TokenError::kExpired, "token-expired"},
    {TokenError::kNotYetValid, "token-not-yet-valid"},
    {TokenError::kMissingClaim, "token-missing-claim"},
    {TokenError::kInvalidClaim, "token-invalid-claim"},
    {TokenError::kReplayed, "token-replayed"},
    {TokenError::kInactive, "token-inactive"},
}};

}  // namespace

std::string_view ProblemSlug(TokenError error) {
  for (const auto& [e, slug] : kSlugs) {
    if (e == error) return slug;
  }
  return "token-malformed";
}

Status TokenFailure(TokenError error, std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(message),
                std::string(ProblemSlug(error)));
}

std::optional<TokenError> TokenErrorOf(const Status& status) {
  if (status.code() != StatusCode::kUnauthenticated) return std::nullopt;
  const std::string problem = status.problem();
  for (const auto& [e, slug] : kSlugs) {
    if (slug == problem) return e;
  }
  return std::nullopt;
}

}  // namespace warden::tokens
