// Entry point of the `warden` command line (serve, and the client commands).
#ifndef WARDEN_CLI_CLI_MAIN_H_
#define WARDEN_CLI_CLI_MAIN_H_

namespace warden {

// Returns the process exit code; the codes scripts rely on are listed in
// cli/exit_codes.h. Never throws.
int CliMain(int argc, char** argv);

}  // namespace warden

#endif  // WARDEN_CLI_CLI_MAIN_H_
