// Keeps the signed checkpoint of the audit chain's head (audit_checkpoint.h)
// in DIR/audit.checkpoint, advanced with every commit batch of the store,
// and passes each one to the external witnesses.
//
// The store calls OnCommitted(head) from its writer thread after a commit
// is durable; the head is signed and written (temp file, fsync, rename) on
// this object's own thread, so the writer never waits on that fsync while
// it runs the next batch. Before the next batch commits, the store calls
// AwaitRecorded(), which waits until the previous head is on disk. Hence:
//   - the checkpoint never gets ahead of the database (it is written only
//     after the commit it describes is durable);
//   - after a crash it lags by at most the last batch (never more: the next
//     batch cannot commit before the previous checkpoint is written);
//   - one signature and one fsync per batch, none per request, no lock held
//     across the I/O.
// A failed write is logged on stderr and counted; the next batch retries.
// AwaitRecorded gives up after kMaxCheckpointWait (logged) rather than stall
// every write behind a hung disk.
//
// That bound costs write throughput where commits are fsync-bound: the next
// batch's COMMIT waits for a checkpoint write (itself about two fsyncs:
// file data, then the new file's metadata), measured at up to 2.5x fewer
// audited writes per second (docs/PERFORMANCE.md). CheckpointPace::
// kCoalesced trades the bound for that throughput: commits never wait, the
// thread always writes the newest head, and the checkpoint lags by the
// batches committed during one checkpoint write (milliseconds).
//
// Thread safety: OnCommitted and AwaitRecorded from the store's writer
// thread; RecordNow before the store takes writes; Stop from any thread.
#ifndef WARDEN_AUDIT_AUDIT_CHECKPOINTER_H_
#define WARDEN_AUDIT_AUDIT_CHECKPOINTER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "audit/audit_checkpoint.h"
#include "audit/witness_publisher.h"
#include "core/clock.h"
#include "store/store.h"

namespace warden {

// How long a commit waits for the previous batch's checkpoint. A local
// fsync takes milliseconds; past this the disk is in trouble, and the
// database commit (the user's request) goes ahead without the guarantee.
inline constexpr std::chrono::seconds kMaxCheckpointWait{5};

enum class CheckpointPace {
  kEveryBatch,  // the next batch commits only after this one's checkpoint
  kCoalesced,   // commits never wait; the newest head is written when free
};

class AuditCheckpointer final : public AuditHeadListener {
 public:
  // Writes checkpoints to `path`, signed by `signer`; `witnesses` (may be
  // null) gets each one as a line. `clock` must outlive this. Starts the
  // thread.
  AuditCheckpointer(std::string path, AuditCheckpointSigner signer,
                    const Clock& clock,
                    std::unique_ptr<WitnessPublisher> witnesses,
                    CheckpointPace pace = CheckpointPace::kEveryBatch);
  ~AuditCheckpointer() override;  // Stop()
  AuditCheckpointer(const AuditCheckpointer&) = delete;
  AuditCheckpointer& operator=(const AuditCheckpointer&) = delete;

  // Signs and writes a checkpoint of `head` on the calling thread (start-up).
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
  const CheckpointPace pace_;

  std::mutex mu_;
  std::condition_variable wake_;      // pending_ set or stopping_
  std::condition_variable recorded_;  // pending_ empty and !writing_
  std::optional<AuditHead> pending_;  // guarded by mu_
  bool writing_ = false;              // guarded by mu_
  bool stopping_ = false;             // guarded by mu_

  std::mutex stop_mu_;  // serialises Stop()
  std::thread thread_;
  std::atomic<int64_t> recorded_sequence_{0};
  std::atomic<int64_t> failures_{0};
};

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_CHECKPOINTER_H_
