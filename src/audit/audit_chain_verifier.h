// Verifies the audit chain (core/audit_record.h) of any Store, optionally
// against a signed checkpoint of its head (audit_checkpoint.h).
//
// Per record, in sequence order: sequences run 1, 2, 3 ... without gaps;
// prev_hash is the previous record's hash (the genesis hash first); the
// format is known and never drops from keyed back to unkeyed; the stored
// hash is the record's link hash (SHA-256, or HMAC-SHA-256 under the audit
// key). The first record failing any of these is "the first broken
// record". Against a checkpoint: a log whose last record comes before the
// checkpoint's sequence is truncated; the record at the checkpoint's
// sequence must carry the checkpoint's hash. A checkpoint older than the
// log is fine: the newer records are checked by their link hashes.
//
// A chain whose oldest records were archived and pruned (audit_archiver.h)
// starts at its signed anchor (audit_anchor.h) instead of genesis: the
// anchor's signature must verify under the checkpoint public key, and the
// first remaining record must be the anchor's sequence + 1 and link to its
// hash. A checkpoint at or before the anchor is compared with the anchor
// (equal sequence) or has nothing left to compare (older).
//
// Speed: records are read without a copy (AuditLog::Scan) and hashed
// without an allocation; logs over kParallelVerifyMinRecords are split into
// sequence ranges verified on several threads at once (each on its own
// read snapshot), whose boundaries are then linked in order, so the answer
// is exactly the sequential one. docs/PERFORMANCE.md has the figures.
//
// Thread-safe: no state between calls.
#ifndef WARDEN_AUDIT_AUDIT_CHAIN_VERIFIER_H_
#define WARDEN_AUDIT_AUDIT_CHAIN_VERIFIER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "audit/audit_checkpoint.h"
#include "core/audit_chain_key.h"
#include "store/store.h"

namespace warden {

// Below this many records one thread verifies everything: starting threads
// would cost more than it saves.
inline constexpr int64_t kParallelVerifyMinRecords = 65536;
// More threads than this only contend for the store's read connections.
inline constexpr int kMaxVerifyThreads = 8;
// What an offline verifier should map of the database (SqliteStoreOptions::
// read_mmap_bytes): address space only, pages come from the OS page cache.
// Past it SQLite reads the rest with read().
inline constexpr int64_t kVerifyMmapBytes = int64_t{16} << 30;

struct AuditVerifyOptions {
  // Needed once the chain holds a keyed record; not owned.
  const AuditChainKey* key = nullptr;
  // The newest checkpoint, its signature already checked; not owned.
  const AuditCheckpoint* checkpoint = nullptr;
  // The checkpoint key's 32-byte public key: verifies the chain anchor.
  // Needed once the chain was pruned.
  std::string anchor_public_key;
  // 0: one per core, at most kMaxVerifyThreads. The store should have as
  // many read connections.
  int threads = 0;
  // Logs with fewer records are verified on one thread (a test seam).
  int64_t parallel_min_records = kParallelVerifyMinRecords;
};

struct AuditVerification {
  // Records verified before the first problem (all of them when intact).
  int64_t records_checked = 0;
  // Canonical bytes hashed: the "record bytes" of throughput figures.
  int64_t bytes_hashed = 0;
  int64_t last_sequence = 0;  // the log's last record; 0 when empty
  int64_t keyed_from = 0;     // the first keyed record; 0 when none
  std::optional<int64_t> first_broken_sequence;
  std::string problem;  // what is wrong at that record
  // > 0: the log ends at last_sequence, this many records before the
  // checkpoint's sequence ("truncated: N records missing after sequence S").
  int64_t missing_records = 0;
  // Where verification started when the chain was pruned: its signed
  // anchor (records up to anchor->sequence live in archives).
  std::optional<AuditAnchorRecord> anchor;

  bool intact() const { return !first_broken_sequence && missing_records == 0; }
};

// kFailedPrecondition ("audit-key-required") when a keyed record is met
// without a key, ("audit-anchor-unverifiable") when the chain starts at an
// anchor and no anchor_public_key was given; store errors as they come. An
// anchor whose signature does not verify is a broken chain (at the
// anchor's sequence + 1), not an error. Broken and truncated chains are
// reported in the AuditVerification, not as errors.
Result<AuditVerification> VerifyAuditChain(
    Store& store, const AuditVerifyOptions& options = {});

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_CHAIN_VERIFIER_H_
