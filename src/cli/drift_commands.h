// `warden drift [--kind unmanaged|missing|changed]`, `warden drift import
// KIND/KEY...` (draft identities from unmanaged observations) and
// `warden observation list`: discovery's view against the inventory, over
// /v1/drift and /v1/observations.
#ifndef WARDEN_CLI_DRIFT_COMMANDS_H_
#define WARDEN_CLI_DRIFT_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddDriftCommands(CLI::App& app, CommandContext& context);
void AddObservationCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_DRIFT_COMMANDS_H_
