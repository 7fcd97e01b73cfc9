// `warden audit tail|search|export|verify`. tail, search and export read
// /v1/audit; verify opens the data dir's store directly and works offline
// (DESIGN.md contract), so it needs no server and no token.
#ifndef WARDEN_CLI_AUDIT_COMMANDS_H_
#define WARDEN_CLI_AUDIT_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddAuditCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_AUDIT_COMMANDS_H_
