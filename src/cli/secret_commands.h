// `warden secret put|get|rotate|list|rotate-kek`: the secret store over
// /v1/secrets. Values are read from --value-file (or stdin with "-") so
// they never appear in shell history or process listings. `rotate-kek`
// works offline on the data dir (stop the server first).
#ifndef WARDEN_CLI_SECRET_COMMANDS_H_
#define WARDEN_CLI_SECRET_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddSecretCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_SECRET_COMMANDS_H_
