// `warden identity add|list|show|update|suspend|resume|revoke`: the NHI
// inventory over /v1/identities.
#ifndef WARDEN_CLI_IDENTITY_COMMANDS_H_
#define WARDEN_CLI_IDENTITY_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddIdentityCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_IDENTITY_COMMANDS_H_
