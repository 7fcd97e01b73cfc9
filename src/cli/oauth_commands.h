// `warden oauth ...`: the authorization server's own settings
// (docs/API.md, "OAuth 2.0 authorization server"; admin and security):
//
//   warden oauth trusted-issuers [get]      the token exchange issuers
//   warden oauth trusted-issuers set FILE   replace them (a JSON array)
//   warden oauth rotate-keys [--emergency]  new signing key; prints the JWKS
//
// The trusted issuers document is checked for shape here (a JSON array of
// objects with an "issuer"); its keys ("jwks", or "jwks_file" / "jwks_uri",
// which the SERVER reads) are checked by the server, whose refusal names
// the entry ("trusted_issuers[0]: jwks: ...") or the issuer.
#ifndef WARDEN_CLI_OAUTH_COMMANDS_H_
#define WARDEN_CLI_OAUTH_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddOAuthCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_OAUTH_COMMANDS_H_
