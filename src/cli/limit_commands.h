// `warden limit set|list|show|lift`: exposure limits (kill switches) over
// /v1/limits. Pulling a tenant's exposure is one command:
//   warden limit set --tenant acme --reason "credential leak"
#ifndef WARDEN_CLI_LIMIT_COMMANDS_H_
#define WARDEN_CLI_LIMIT_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddLimitCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_LIMIT_COMMANDS_H_
