// `warden backup --data-dir DIR OUT` and `warden restore IN --data-dir DIR`:
// the offline-tool side of server/data_dir_backup.h and
// server/data_dir_restore.h (what a backup holds, consistency with the
// audit head, what a restore checks). Neither speaks to a server: backup
// reads DIR while `warden serve` may keep running on it; restore writes a
// new data dir no server runs on yet.
//
// Exit codes (cli/exit_codes.h): 0 done; 2 no database in DIR / no backup
// file IN; 3 OUT exists, DIR already holds a database or checkpoint, DIR's
// audit key is missing or another data dir's keys are in DIR, or --db
// (PostgreSQL: use pg_dump / pg_restore); 5 IN is not a backup or is
// damaged (digest mismatch, truncated); 6 I/O; 7 the audit chain (or its
// checkpoint) does not verify. On any failure nothing is written.
#ifndef WARDEN_CLI_BACKUP_COMMANDS_H_
#define WARDEN_CLI_BACKUP_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddBackupCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_BACKUP_COMMANDS_H_
