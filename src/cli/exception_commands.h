// `warden exception request|approve|reject|revoke|list|show`: bounded
// policy waivers over /v1/exceptions.
#ifndef WARDEN_CLI_EXCEPTION_COMMANDS_H_
#define WARDEN_CLI_EXCEPTION_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddExceptionCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_EXCEPTION_COMMANDS_H_
