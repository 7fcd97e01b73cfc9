// What the server does with the audit chain before it takes requests:
//
//  1. If DIR/audit.checkpoint exists, it must hold a checkpoint signed by
//     this server's checkpoint key, the log must reach its sequence, and the
//     record there must carry its hash. Otherwise the log was truncated or
//     rewritten (or an older backup restored): the start is refused
//     (kFailedPrecondition, "audit-chain-mismatch") with what was found,
//     rather than overwriting the evidence with a new checkpoint.
//  2. If the newest record is keyed, the audit key must verify it; a lost
//     or replaced DIR/audit.key is refused the same way (appending under
//     another key would break the chain at the next record).
//  3. If the newest record is unkeyed (a log written before keys existed,
//     or an empty one), it appends "audit.chain.keyed" (actor "system"):
//     the first keyed record, which marks the in-place upgrade.
//  4. It writes a checkpoint of the head, so the log is anchored before
//     the first request.
//
// REQUIRES: `store` was opened with `key` and with `checkpointer` as its
// AuditHeadListener, and nothing else writes to it yet.
#ifndef WARDEN_AUDIT_AUDIT_CHAIN_STARTUP_H_
#define WARDEN_AUDIT_AUDIT_CHAIN_STARTUP_H_

#include <string>

#include "audit/audit_checkpointer.h"
#include "core/audit_chain_key.h"
#include "core/clock.h"
#include "store/store.h"

namespace warden {

inline constexpr char kAuditChainKeyedAction[] = "audit.chain.keyed";

Status StartAuditChain(Store& store, const AuditChainKey& key,
                       AuditCheckpointer& checkpointer,
                       const std::string& checkpoint_path, const Clock& clock);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_CHAIN_STARTUP_H_
