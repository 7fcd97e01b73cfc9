// `warden policy test|validate|push|show|history`: access policies.
// test and validate work offline on files (so teams keep policies under
// CI); push, show and history talk to /v1/access/policies.
#ifndef WARDEN_CLI_POLICY_COMMANDS_H_
#define WARDEN_CLI_POLICY_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddPolicyCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_POLICY_COMMANDS_H_
