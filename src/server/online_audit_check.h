// The online audit chain check AuditService::Verify runs
// (inventory/audit_chain_check.h), bound to the server's store, chain key
// and signed checkpoint file:
//   1. the checkpoint file (DIR/audit.checkpoint), when present, is read
//      and its signature checked first, so the log read next is never
//      legitimately behind it (the chain only grows);
//   2. the chain is verified by audit/audit_chain_verifier.h up to the head
//      it finds, on one thread: each range is one read snapshot of the
//      store, so writers are never blocked (SQLite WAL), and the other
//      read connections stay free for requests;
//   3. the head's hash is read back for the answer.
// A pruned chain starts at its anchor, whose signature the same public key
// verifies (audit/audit_anchor.h).
//
// Thread-safe; `store` must outlive the checker.
#ifndef WARDEN_SERVER_ONLINE_AUDIT_CHECK_H_
#define WARDEN_SERVER_ONLINE_AUDIT_CHECK_H_

#include <string>

#include "core/audit_chain_key.h"
#include "inventory/audit_chain_check.h"
#include "store/store.h"

namespace warden::server {

// Threads one online verification uses: one, so a verification takes one
// of the store's read connections, never all of them.
inline constexpr int kOnlineVerifyThreads = 1;

// `checkpoint_path`: the signed checkpoint file (missing: none yet);
// `public_key`: its 32-byte Ed25519 key.
inventory::AuditChainChecker OnlineAuditChainChecker(
    Store& store, AuditChainKey key, std::string checkpoint_path,
    std::string public_key);

}  // namespace warden::server

#endif  // WARDEN_SERVER_ONLINE_AUDIT_CHECK_H_
