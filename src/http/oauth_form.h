// Request parsing for the OAuth endpoints: application/x-www-form-urlencoded
// bodies (RFC 6749 appendix B) and HTTP Basic client authentication
// (RFC 6749 section 2.3.1, RFC 7617), with limits on untrusted input.
//
// All functions are pure and thread-safe. Errors are kInvalidArgument with
// problem "invalid_request" (form) or kUnauthenticated with problem
// "invalid_client" (Basic); messages never contain the secret.
#ifndef WARDEN_HTTP_OAUTH_FORM_H_
#define WARDEN_HTTP_OAUTH_FORM_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden {

// A token request has a handful of parameters; assertions and subject
// tokens are the largest values (a few KiB).
inline constexpr size_t kMaxFormParameters = 32;
inline constexpr size_t kMaxFormBytes = 64 * 1024;

using OAuthForm = std::map<std::string, std::string, std::less<>>;

// Caller-supplied values that become audit actors or targets, rate-limiter
// keys, error messages or claims of issued tokens are capped before any use
// (400 invalid_request naming the parameter). The assertion and the
// subject/introspected token are bounded by kMaxFormBytes and the JWS
// limits instead; client_id by kMaxClientIdBytes (an identity id).
struct OAuthParameterLimit {
  std::string_view name;
  size_t max_bytes;
};
inline constexpr OAuthParameterLimit kOAuthParameterLimits[] = {
    {"grant_type", 128},             // the longest is a 48-byte URN
    {"client_assertion_type", 128},  // one 54-byte URN is accepted
    {"subject_token_type", 128},     // 45-byte URNs
    {"scope", 1024},                 // space-separated scope strings
    {"tenant", 200},                 // IdentityTokenPolicy::kMaxTenantLength
    {"audience", 512},               // a resource URI, copied into "aud"
    {"resource", 512},
    {"expires_in", 16},  // seconds, digits only
};

// kInvalidArgument ("invalid_request") when a parameter of `form` exceeds
// its kOAuthParameterLimits entry or client_id exceeds `max_client_id`.
Status CheckParameterLengths(const OAuthForm& form, size_t max_client_id);

// Parameters sent more than once are refused (RFC 6749 section 3.1);
// so are empty names. "+" decodes to a space.
Result<OAuthForm> ParseOAuthForm(std::string_view body);

// The value of `name`, or nullopt when absent or empty (RFC 6749 3.1:
// "parameters sent without a value MUST be treated as if they were omitted").
std::optional<std::string> FormValue(const OAuthForm& form,
                                     std::string_view name);

struct BasicCredentials {
  std::string client_id;
  std::string client_secret;  // SECRET
};

// nullopt when `authorization` is not a Basic header; an error when it is
// one but malformed. Both parts are form-urlencoded (RFC 6749 2.3.1).
Result<std::optional<BasicCredentials>> ParseBasicAuthorization(
    std::string_view authorization);

}  // namespace warden

#endif  // WARDEN_HTTP_OAUTH_FORM_H_
