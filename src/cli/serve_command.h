// `warden serve --data-dir DIR --listen HOST:PORT`: runs the server in this
// process until SIGTERM/SIGINT (DESIGN.md contract).
#ifndef WARDEN_CLI_SERVE_COMMAND_H_
#define WARDEN_CLI_SERVE_COMMAND_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddServeCommand(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_SERVE_COMMAND_H_
