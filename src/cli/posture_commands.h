// `warden posture sweep|policy [get|set FILE]`: run the findings sweep now
// (POST /v1/posture/sweep), read or replace the posture policy
// (GET|PUT /v1/posture/policy; a file that is not a JSON object is refused
// before anything is sent).
#ifndef WARDEN_CLI_POSTURE_COMMANDS_H_
#define WARDEN_CLI_POSTURE_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddPostureCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_POSTURE_COMMANDS_H_
