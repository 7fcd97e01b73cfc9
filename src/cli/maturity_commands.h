// `warden maturity`: the three maturity shares (inventoried, justified,
// revocable) for a scope, with counts and the failing entries, over
// GET /v1/maturity.
#ifndef WARDEN_CLI_MATURITY_COMMANDS_H_
#define WARDEN_CLI_MATURITY_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddMaturityCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_MATURITY_COMMANDS_H_
