// The server's periodic audit retention (`warden serve
// --audit-retention-days N --audit-archive-dir DIR`): on its own thread,
// every `interval`, archives and prunes the records older than N days
// (audit_archiver.h) into a new file of DIR, named after the first
// sequence it holds and the time:
//   audit-000000000001-20261207T105500Z.jsonl.gz
// Each run is audited by the archiver itself ("audit.archive", actor
// "system", in the prune's transaction). A failed run is audited
// ("audit.archive", outcome "error"), logged on stderr and counted, and the
// next one retries; nothing is pruned without its archive.
//
// Replicas on one PostgreSQL: only the holder of the cluster lease runs
// (store/cluster_lease.h); should two ever run at once, the anchor's
// compare-and-set lets one win and the other removes its file.
//
// The records a run may prune end before `checkpoint_sequence()`: the
// sequence of the newest checkpoint this process signed and wrote
// (AuditCheckpointer::recorded_sequence).
//
// Thread safety: Start and Stop from one thread; RunOnce (a test seam and
// the thread's body) from one thread at a time; counters from any thread.
#ifndef WARDEN_AUDIT_AUDIT_RETENTION_H_
#define WARDEN_AUDIT_AUDIT_RETENTION_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "audit/audit_archiver.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/cluster_lease.h"

namespace warden {

// Retention is measured in days; checking hourly keeps the oldest record
// within an hour of the bound at the cost of one short read per hour.
inline constexpr std::chrono::seconds kDefaultAuditRetentionInterval{3600};
// One run's archive and transaction stay bounded (about 300 MB of record
// JSON before compression); a backlog is worked off run by run.
inline constexpr int64_t kDefaultAuditRetentionMaxRecords = 1'000'000;

struct AuditRetentionOptions {
  int retention_days = 0;   // > 0
  std::string archive_dir;  // created (0700) when missing
  std::chrono::seconds interval = kDefaultAuditRetentionInterval;
  int64_t max_records_per_run = kDefaultAuditRetentionMaxRecords;
};

class AuditRetention {
 public:
  // `store`, `lease` and `clock` must outlive this; the keys are copied.
  AuditRetention(Store& store, AuditChainKey key, AuditCheckpointSigner signer,
                 std::function<int64_t()> checkpoint_sequence,
                 const ClusterLease& lease, const Clock& clock,
                 AuditRetentionOptions options);
  ~AuditRetention();  // Stop()
  AuditRetention(const AuditRetention&) = delete;
  AuditRetention& operator=(const AuditRetention&) = delete;

  // Creates the archive directory and starts the thread, whose first run
  // is one interval after the start. kInvalidArgument for retention_days
  // <= 0 or an empty directory; kUnavailable when it cannot be created.
  Status Start();
  // Wakes and joins the thread; a run in progress finishes first.
  // Idempotent.
  void Stop();

  // One run now: archived false when nothing was old enough or this
  // replica does not hold the lease.
  Result<AuditArchiveOutcome> RunOnce();

  int64_t runs() const { return runs_.load(); }
  int64_t failures() const { return failures_.load(); }
  int64_t archived_records() const { return archived_records_.load(); }

 private:
  void Run();
  std::string NextPath(int64_t first_sequence) const;
  void RecordFailure(const Status& status);

  // Immutable after construction.
  Store& store_;
  const AuditChainKey key_;
  const AuditCheckpointSigner signer_;
  const std::function<int64_t()> checkpoint_sequence_;
  const ClusterLease& lease_;
  const Clock& clock_;
  const AuditRetentionOptions options_;

  Mutex mu_;
  CondVar wake_;  // stopping_ set
  bool stopping_ WARDEN_GUARDED_BY(mu_) = false;
  std::thread thread_;

  std::atomic<int64_t> runs_{0};
  std::atomic<int64_t> failures_{0};
  std::atomic<int64_t> archived_records_{0};
};

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_RETENTION_H_
