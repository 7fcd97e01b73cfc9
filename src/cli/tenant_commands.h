// `warden tenant add|list|show|update` over /v1/tenants and
// `warden segment add|list|show|add-tenants` over /v1/segments.
#ifndef WARDEN_CLI_TENANT_COMMANDS_H_
#define WARDEN_CLI_TENANT_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddTenantCommands(CLI::App& app, CommandContext& context);
void AddSegmentCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_TENANT_COMMANDS_H_
