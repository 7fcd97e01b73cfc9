// `warden scan certs|tls|k8s|aws-credential-report|oauth-grants TARGET...`:
// runs one of discovery's scanners locally, prints what it saw (a table, or
// one JSON document with the observations and the issues), reports the
// inputs it could not read on stderr as "path:line: message", optionally
// writes the issues as a SARIF 2.1.0 log, and unless --offline records the
// observations on the server as one scan run (POST /v1/scans, then batches
// of observations, then /complete). `warden scan list` lists the scan runs.
//
// A path that does not exist is bad input (exit 5); malformed files inside a
// scanned tree are issues and the command still exits 0.
#ifndef WARDEN_CLI_SCAN_COMMANDS_H_
#define WARDEN_CLI_SCAN_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddScanCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_SCAN_COMMANDS_H_
