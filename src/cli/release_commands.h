// `warden release record|list|show|advance|pause|rollback|readiness`:
// release governance over /v1/releases. CI records a release with a
// deploy token:
//   warden release record --service checkout --version 2.4.1
//     --owner payments --flag new-checkout --identity checkout-svc
// (one command line).
#ifndef WARDEN_CLI_RELEASE_COMMANDS_H_
#define WARDEN_CLI_RELEASE_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddReleaseCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_RELEASE_COMMANDS_H_
