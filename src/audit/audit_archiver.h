// Audit retention: archives the oldest records of the chain to a signed,
// compressed file (audit_archive.h) and prunes them from the store, leaving
// a signed chain anchor (audit_anchor.h) from which verification of the
// remaining chain starts.
//
// One run:
//   1. reads the store's anchor (its signature must verify: nobody archives
//      on top of a forged one) and continues from it, or from genesis;
//   2. scans forward from the anchor in one read snapshot, taking records
//      while they are older than the cutoff and come before the newest
//      signed checkpoint's sequence (a record the checkpoint does not cover
//      yet is never pruned, nor the checkpoint's own record), checking each
//      link and hash as it goes (a broken chain is not archived: it is
//      refused, "audit-chain-broken", naming the record);
//   3. writes and fsyncs the archive, linked into place under its name;
//   4. in one write transaction: compare-and-set of the anchor (another
//      process that pruned meanwhile makes this one fail with
//      "audit-anchor-conflict" and remove its file), delete the archived
//      records, store the new signed anchor, and append "audit.archive"
//      naming the range, the archive's digest and file name;
//   5. when that transaction fails, removes the archive file: no archive
//      exists whose records the database still holds as its own, and the
//      next archive's anchor is always the previous one's last hash.
// Nothing older than the cutoff (or nothing the checkpoint covers): no
// file, no transaction, `archived` false.
//
// Thread safety: a function without state; several processes may run it
// on one store at once (step 4 lets one win).
#ifndef WARDEN_AUDIT_AUDIT_ARCHIVER_H_
#define WARDEN_AUDIT_AUDIT_ARCHIVER_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "audit/audit_archive.h"
#include "audit/audit_checkpoint.h"
#include "core/audit_chain_key.h"
#include "core/clock.h"
#include "store/store.h"

namespace warden {

inline constexpr char kAuditArchiveAction[] = "audit.archive";

struct AuditArchiveOptions {
  // Records with time before this are archived.
  Timestamp older_than{};
  // The archive file to create; must not exist.
  std::string path;
  // Verifies the keyed records read (required once the chain is keyed);
  // not owned. The store must be opened with the same key.
  const AuditChainKey* key = nullptr;
  // Signs the manifest and the anchor; not owned, required.
  const AuditCheckpointSigner* signer = nullptr;
  // The newest signed checkpoint's sequence: only records before it are
  // archived.
  int64_t checkpoint_sequence = 0;
  // Who the audit record names: a user, or "system" for the server's own
  // retention.
  std::string actor = "system";
  // At most this many records per run (0: no bound), so one run's
  // transaction and file stay bounded; the rest waits for the next run.
  int64_t max_records = 0;
  const Clock* clock = nullptr;  // required; not owned
};

struct AuditArchiveOutcome {
  bool archived = false;
  AuditArchiveManifest manifest;  // when archived
  int64_t deleted = 0;            // records pruned from the store
  int64_t file_bytes = 0;         // the compressed archive
  int64_t raw_bytes = 0;          // its uncompressed contents
  // The prune's transaction (step 4), during which other writers wait.
  std::chrono::microseconds prune_time{0};
};

// kInvalidArgument for missing options; kFailedPrecondition with
// "audit-chain-broken", "audit-anchor-signature", "audit-key-required" or
// "audit-anchor-conflict"; kAlreadyExists when the file exists; store and
// I/O errors as they come.
Result<AuditArchiveOutcome> ArchiveAuditLog(Store& store,
                                            const AuditArchiveOptions& options);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_ARCHIVER_H_
