// Console single sign-on settings as `warden serve` resolves them at start:
// the client secret read from its file, the redirect URI defaulted from the
// server's own URL, everything checked (signin::ValidateOidcOptions).
//
// Thread-safety: pure functions (ReadOidcClientSecret reads one file).
#ifndef WARDEN_SERVER_OIDC_SETUP_H_
#define WARDEN_SERVER_OIDC_SETUP_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "signin/oidc_relying_party.h"

namespace warden::server {

// The path Warden serves the provider's redirect on.
inline constexpr char kOidcCallbackPath[] = "/v1/session/oidc/callback";

// The secret in `path` without trailing whitespace; kInvalidArgument naming
// the file when it is unreadable, empty or over 4 KiB (a secret, not a
// document). A file others can read is accepted with a warning on stderr.
Result<std::string> ReadOidcClientSecret(const std::string& path);

// `configured` completed for a server at `server_url` ("http://host:port"):
// client_secret from `secret_file` when empty, redirect_uri defaulted to
// server_url + kOidcCallbackPath, then validated. Off (issuer empty) passes
// through unchanged.
Result<signin::OidcOptions> ResolveOidcOptions(signin::OidcOptions configured,
                                               const std::string& secret_file,
                                               std::string_view server_url);

}  // namespace warden::server

#endif  // WARDEN_SERVER_OIDC_SETUP_H_
