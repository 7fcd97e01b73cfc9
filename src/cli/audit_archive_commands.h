// Audit retention on the command line (docs/OPERATIONS.md, "Audit
// retention"):
//
// `warden audit archive --data-dir DIR [--db URI] --older-than DAYS --out
// FILE [--max-records N]`: offline, on the data dir's store (or the
// replicas' PostgreSQL database with the keys of DIR), archives the records
// older than DAYS days that the signed checkpoint covers to FILE and prunes
// them (audit/audit_archiver.h), recorded as "audit.archive" in the same
// transaction; then writes a checkpoint of the new head unless the
// server's is already newer. Prints the range, sizes and the rate. Exit 0
// also when nothing is old enough (nothing written). Exit 7 when the chain
// is broken where it would archive (nothing is written); 3 when the anchor
// moved (another process pruned) or FILE exists; 2 when DIR has no
// database, keys or checkpoint. Run it with the server stopped, or use the
// server's own retention: a running server keeps writing its checkpoint.
//
// `warden audit verify-archive FILE [--checkpoint-key FILE | --data-dir
// DIR] [--previous FILE]`: verifies an archive on its own
// (audit/audit_archive_verifier.h) with the checkpoint public key (a copy
// of DIR/audit-checkpoint.pub, or DIR's); with --data-dir keyed records are
// re-hashed with DIR/audit.key too. --previous checks that FILE continues
// that archive (which is verified as well). Exit 0 when it verifies; 7 with
// the first problem otherwise; 2 for a missing file or key.
#ifndef WARDEN_CLI_AUDIT_ARCHIVE_COMMANDS_H_
#define WARDEN_CLI_AUDIT_ARCHIVE_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddAuditArchiveCommands(CLI::App& audit, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_AUDIT_ARCHIVE_COMMANDS_H_
