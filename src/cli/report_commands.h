// `warden report html|json --out FILE [--team T]`: the posture report
// (findings summary, maturity and its 90-day history, the first unresolved
// findings) as one self-contained HTML page or one JSON document.
#ifndef WARDEN_CLI_REPORT_COMMANDS_H_
#define WARDEN_CLI_REPORT_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddReportCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_REPORT_COMMANDS_H_
