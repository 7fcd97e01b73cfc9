// `warden flag import|export|list|show|enable|disable`: flags over
// /v1/flags. --env defaults to development.
#ifndef WARDEN_CLI_FLAG_COMMANDS_H_
#define WARDEN_CLI_FLAG_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddFlagCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_FLAG_COMMANDS_H_
