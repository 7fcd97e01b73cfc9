// `warden user add|list|show|disable|enable` and
// `warden token create|list|revoke`: Warden's own users and API tokens.
#ifndef WARDEN_CLI_ACCESS_COMMANDS_H_
#define WARDEN_CLI_ACCESS_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddAccessCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_ACCESS_COMMANDS_H_
