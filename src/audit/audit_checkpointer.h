// Keeps the signed checkpoint of the audit chain's head (audit_checkpoint.h)
// in DIR/audit.checkpoint, advanced as the store commits batches, and passes
// each one to the external witnesses.
//
// The store calls OnCommitted(head) from its writer thread after a commit
// is durable; the head is signed and written (temp file, fsync, rename) on
// this object's own thread, so no lock is held across that I/O and the
// writer does not wait on it while it runs the next batch. When heads come
// faster than checkpoints can be written, the thread writes the newest one
// (each checkpoint covers every record before it). Before the store commits
// a batch it calls AwaitRecorded(), which waits until the checkpoint covers
// every batch but the newest `max_lag_batches - 1`. Hence:
//   - the checkpoint never gets ahead of the database (it is written only
//     after the commit it describes is durable);
//   - after a crash it lags by at most `max_lag_batches` batches: 1 means
//     only the last batch may be missing from it;
//   - one signature and one fsync per checkpoint, none per request.
// The bound has a price where commits are flush-bound: a checkpoint write
// costs about two flushes (the new file's data and metadata), so with
// max_lag_batches = 1 every commit also waits for the previous batch's
// checkpoint (measured: 4x the latency of one writer, 0.12-0.51x the rate
// of many; docs/PERFORMANCE.md). 2, the server's default, lets one
// checkpoint be written while the next batch commits; 0 never waits.
// A failed write is logged on stderr and counted, and counts as done for
// the wait (the next head retries); AwaitRecorded also gives up after
// kMaxCheckpointWait (logged) rather than stall every write on a hung disk.
//
// Thread safety: OnCommitted and AwaitRecorded from the store's writer
// thread; RecordNow before the store takes writes; Stop from any thread.
#ifndef WARDEN_AUDIT_AUDIT_CHECKPOINTER_H_
#define WARDEN_AUDIT_AUDIT_CHECKPOINTER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "audit/audit_checkpoint.h"
#include "audit/witness_publisher.h"
#include "core/clock.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/store.h"

namespace warden {

// How long a commit waits for a checkpoint. A local fsync takes
// milliseconds; past this the disk is in trouble, and the database commit
// (the user's request) goes ahead without the bound.
inline constexpr std::chrono::seconds kMaxCheckpointWait{5};

// Batches a checkpoint may lag the database by, at most: the server's
// default. Letting one checkpoint be written while the next batch commits
// costs far less than 1 (docs/PERFORMANCE.md: 3.3x the rate at 16 writers).
inline constexpr int kDefaultCheckpointMaxLagBatches = 2;
// A larger bound is no bound worth the name: use 0 (never wait) instead.
inline constexpr int kMaxCheckpointMaxLagBatches = 16;

class AuditCheckpointer final : public AuditHeadListener {
 public:
  // Writes checkpoints to `path`, signed by `signer`; `witnesses` (may be
  // null) gets each one as a line. `max_lag_batches` in [0,
  // kMaxCheckpointMaxLagBatches] (clamped); 0: commits never wait. `clock`
  // must outlive this. Starts the thread.
  AuditCheckpointer(std::string path, AuditCheckpointSigner signer,
                    const Clock& clock,
                    std::unique_ptr<WitnessPublisher> witnesses,
                    int max_lag_batches = kDefaultCheckpointMaxLagBatches);
  ~AuditCheckpointer() override;  // Stop()
  AuditCheckpointer(const AuditCheckpointer&) = delete;
  AuditCheckpointer& operator=(const AuditCheckpointer&) = delete;

  // Signs and writes a checkpoint of `head` on the calling thread (start-up),
  // unless the thread has just written that head.
  Status RecordNow(const AuditHead& head);

  void AwaitRecorded() override;
  void OnCommitted(const AuditHead& head) override;

  // Writes the pending head, if any, stops the thread, then flushes and
  // stops the witnesses. Idempotent.
  void Stop();

  const AuditCheckpointSigner& signer() const { return signer_; }
  // The sequence of the last checkpoint written (0 before the first).
  int64_t recorded_sequence() const { return recorded_sequence_.load(); }
  int64_t failures() const { return failures_.load(); }

 private:
  void Run();
  // Signs, writes and publishes one checkpoint; no lock held.
  Status Record(const AuditHead& head);

  // Immutable after construction.
  const std::string path_;
  const AuditCheckpointSigner signer_;
  const Clock& clock_;
  const std::unique_ptr<WitnessPublisher> witnesses_;
  const size_t max_lag_batches_;

  Mutex mu_;
  CondVar wake_;       // pending_ set or stopping_
  CondVar processed_;  // processed_sequence_ advanced
  std::optional<AuditHead> pending_ WARDEN_GUARDED_BY(mu_);
  bool writing_ WARDEN_GUARDED_BY(mu_) = false;
  bool stopping_ WARDEN_GUARDED_BY(mu_) = false;
  // The last max_lag_batches_ heads passed to OnCommitted, oldest first.
  std::deque<int64_t> committed_ WARDEN_GUARDED_BY(mu_);
  // The newest head whose write was attempted (written or failed).
  int64_t processed_sequence_ WARDEN_GUARDED_BY(mu_) = 0;

  Mutex stop_mu_;  // serialises Stop()
  std::thread thread_;
  std::atomic<int64_t> recorded_sequence_{0};
  std::atomic<int64_t> failures_{0};
};

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_CHECKPOINTER_H_
