// `warden identity credentials|gating-flags|scopes-used`: an identity as
// an OAuth client (docs/API.md, "OAuth 2.0 authorization server"):
//
//   warden identity credentials ID --method client_secret [--overlap 3600]
//   warden identity credentials ID --method private_key_jwt --jwks FILE
//   warden identity gating-flags get ID
//   warden identity gating-flags set ID FLAG... | --none
//   warden identity scopes-used ID
//
// A client secret is printed once, on stdout, and cannot be shown again.
// A JWKS file is checked locally first (cli/jwks_file.h).
#ifndef WARDEN_CLI_CLIENT_COMMANDS_H_
#define WARDEN_CLI_CLIENT_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

// Adds the verbs under `identity` (the area AddIdentityCommands made).
void AddClientCommands(CLI::App& identity, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_CLIENT_COMMANDS_H_
