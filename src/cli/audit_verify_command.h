// `warden audit verify --data-dir DIR [--checkpoint FILE]`: offline
// verification of the audit chain (audit/audit_chain_verifier.h).
// `warden audit verify` without --data-dir asks the server instead
// (POST /v1/audit/verify): the same check, online, with the server's key
// and checkpoint; exit 0 when intact, 7 when broken or truncated.
//
// Opens DIR/warden.db directly (the server may keep running: the chain only
// grows, and the checkpoint is read before the database, so the database is
// never legitimately behind it). Verifies every link hash, keyed records
// with DIR/audit.key, then compares the log with the newest signed
// checkpoint: DIR/audit.checkpoint, or FILE (a checkpoint, or a witness's
// JSON Lines file whose last line counts), whose Ed25519 signature must
// verify under DIR/audit-checkpoint.pub. Prints records checked, keyed
// from, MB hashed and MB/s, and the checkpoint used.
//
// Exit 0 when intact. Exit 7 (kExitAuditChainBroken) with one of:
//   "first broken record: sequence N (...)"
//   "truncated: N records missing after sequence S (...)"
//   "checkpoint ...: signature does not verify ..."
//   "no signed checkpoint ..." (the server ran with an audit key, so one
//    must exist; without it a deleted tail cannot be ruled out)
// Other failures keep their usual codes: 2 for a missing database or public
// key, 3 when keyed records need DIR/audit.key and it is missing, 5 for a
// checkpoint file that does not parse.
#ifndef WARDEN_CLI_AUDIT_VERIFY_COMMAND_H_
#define WARDEN_CLI_AUDIT_VERIFY_COMMAND_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddAuditVerifyCommand(CLI::App& audit, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_AUDIT_VERIFY_COMMAND_H_
