// `warden finding list|show|ack|rules|summary`: posture findings (mapped to
// the OWASP NHI Top 10 and NIST CSF 2.0) over /v1/findings.
#ifndef WARDEN_CLI_FINDING_COMMANDS_H_
#define WARDEN_CLI_FINDING_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddFindingCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_FINDING_COMMANDS_H_
