// What a bare `warden` (or a bare area such as `warden identity`) prints:
// a usage line and the commands one level down, one line each with their
// description, instead of CLI11's "A subcommand is required". The caller
// exits 1 (usage error, as git does), so a script that forgot its command
// fails; `warden --help` remains the way to ask for help (exit 0).
#ifndef WARDEN_CLI_COMMAND_LIST_H_
#define WARDEN_CLI_COMMAND_LIST_H_

#include <string>

namespace CLI {
class App;
}

namespace warden::cli {

// The command list of `command`, e.g. for the root:
//   usage: warden [--server URL] [--token TOKEN] [-o json] <command> ...
//
//   commands:
//     serve      run the Warden server
//     ...
//   Run 'warden <command> --help' for its verbs and options.
std::string CommandList(const CLI::App& command);

// The command the user named without naming one of its subcommands, when
// it needs one (`warden`, `warden identity`); nullptr when the parse
// failed for another reason. Call after app.parse() threw.
const CLI::App* CommandMissingItsSubcommand(const CLI::App& app);

}  // namespace warden::cli

#endif  // WARDEN_CLI_COMMAND_LIST_H_
