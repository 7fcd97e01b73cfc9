// `warden cert sign|renew|revoke|list|import-ca`: X509-SVIDs over
// /v1/certificates. `sign` and `renew` read a PEM CSR from a file and print
// the certificate PEM (or the whole record with -o json). `import-ca` works
// offline on the data dir (restart the server afterwards).
#ifndef WARDEN_CLI_CERT_COMMANDS_H_
#define WARDEN_CLI_CERT_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddCertCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_CERT_COMMANDS_H_
