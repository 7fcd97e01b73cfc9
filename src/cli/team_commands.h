// `warden team add|list|show|set-members|delete`: teams over /v1/teams.
#ifndef WARDEN_CLI_TEAM_COMMANDS_H_
#define WARDEN_CLI_TEAM_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddTeamCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_TEAM_COMMANDS_H_
