// `warden audit tail|search|export|verify|archive|verify-archive`. tail,
// search and export read /v1/audit; verify opens the data dir's store
// directly and works offline (DESIGN.md contract), so it needs no server and
// no token; archive and verify-archive are offline too
// (audit_archive_commands.h).
#ifndef WARDEN_CLI_AUDIT_COMMANDS_H_
#define WARDEN_CLI_AUDIT_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddAuditCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_AUDIT_COMMANDS_H_
