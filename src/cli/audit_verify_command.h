// `warden audit verify --data-dir DIR`: offline verification of the audit
// hash chain. Opens DIR/warden.db directly (the server should be stopped or
// the check races new appends, which is harmless: the chain only grows),
// recomputes every hash in sequence order, and prints records checked, MB
// hashed and MB/s. Exit 0 when intact; exit 7 (kExitAuditChainBroken) with
// "first broken record: sequence N (...)" when not.
#ifndef WARDEN_CLI_AUDIT_VERIFY_COMMAND_H_
#define WARDEN_CLI_AUDIT_VERIFY_COMMAND_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddAuditVerifyCommand(CLI::App& audit, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_AUDIT_VERIFY_COMMAND_H_
