// `warden approval list|show|approve|decline`: the approvals inbox and its
// decisions over /v1/approvals.
#ifndef WARDEN_CLI_APPROVAL_COMMANDS_H_
#define WARDEN_CLI_APPROVAL_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddApprovalCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_APPROVAL_COMMANDS_H_
