// The audit chain of a database file that no server runs on (a backup's
// snapshot, a restore's staged copy), verified the way `warden audit
// verify --data-dir` does (audit/audit_chain_verifier.h), plus its head's
// hash. Shared by backup and restore. Thread-safe (no state).
#ifndef WARDEN_SERVER_DATABASE_CHAIN_CHECK_H_
#define WARDEN_SERVER_DATABASE_CHAIN_CHECK_H_

#include <string>

#include "audit/audit_chain_verifier.h"
#include "audit/audit_checkpoint.h"
#include "core/audit_chain_key.h"
#include "core/status.h"

namespace warden::server {

// The problem slug of a broken or truncated chain: the CLI's exit 7
// (cli/exit_codes.h names the same slug).
inline constexpr char kChainBrokenProblem[] = "audit-chain-broken";

struct DatabaseChainCheck {
  AuditVerification verification;
  std::string head_hash;  // the last record's link hash; "" when empty
};

// Opens the SQLite file at `path` (migrating it as a server would, like
// every offline command), verifies every record with `key` (may be null
// for a chain never keyed) against `checkpoint` (may be null; its
// signature already checked), and closes it, which leaves the file whole
// (no -wal; kInternal otherwise). kFailedPrecondition with
// kChainBrokenProblem naming the first broken record or the truncation
// when the chain is not intact; "audit-key-required" when a keyed record
// is met without a key; store errors as they come.
Result<DatabaseChainCheck> CheckDatabaseChain(
    const std::string& path, const AuditChainKey* key,
    const AuditCheckpoint* checkpoint);

}  // namespace warden::server

#endif  // WARDEN_SERVER_DATABASE_CHAIN_CHECK_H_
