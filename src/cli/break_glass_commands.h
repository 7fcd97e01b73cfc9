// `warden break-glass read-secret|reactivate|list|review` over
// /v1/break-glass.
#ifndef WARDEN_CLI_BREAK_GLASS_COMMANDS_H_
#define WARDEN_CLI_BREAK_GLASS_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddBreakGlassCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_BREAK_GLASS_COMMANDS_H_
