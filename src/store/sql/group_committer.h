// Group commit for the SQL stores: one writer thread owns the write
// connection and turns queued units of work into as few durable commits as
// possible.
//
// Each caller sleeps on its own condition variable and is woken only when
// its own unit is decided (no herd of waiters re-checking after every
// batch: on a loaded core every spurious wake-up costs a context switch).
//
// The writer takes up to max_batch_units queued units, begins a transaction
// (WriteSteps::begin_sql), runs each unit inside its own SAVEPOINT (RELEASE
// on OK; ROLLBACK TO + RELEASE on error, so that unit alone is undone and no
// later unit sees its effects), then runs the engine's before_commit step
// (a failure there fails the batch like a failed commit), COMMITs once (one
// fsync for the batch) and only then wakes every caller. Outcomes per unit:
//   - its own error, when it returned one (nothing of it was applied);
//   - OK, when it succeeded and the commit was durable;
//   - kUnavailable, when it succeeded but the commit failed, or the engine
//     aborted the whole transaction (I/O error, disk full, lost connection)
//     while it or a later unit ran. Units after an abort run in a fresh
//     transaction.
//
// SubmitAsync queues a unit without waiting: its callback runs on the
// writer thread once the unit's outcome above is final (after the COMMIT's
// fsync for OK), after every synchronous caller of the same batch has been
// woken, in queue order, with no lock held. Callbacks must be short (post
// the result elsewhere); one that throws is logged and dropped, never
// allowed to stop the writer.
//
// Changed rows: with a ChangeFeed, the ChangeKeys the units of a
// transaction noted are published after its COMMIT succeeds and before any
// of its callers is woken or called back.
//
// Audit heads: with an AuditHeadListener, a commit that applied units first
// waits for the listener to record the previous head (AwaitRecorded), and
// once durable reports the new head (OnCommitted), so a signed checkpoint
// lags the database by at most one batch and never gets ahead of it. The
// head is read inside the transaction, before COMMIT: with several writers
// on one database (PostgreSQL replicas) it is still this commit's head.
//
// Thread safety: Submit, SubmitAsync and Close may be called from any
// thread. Submit from inside a unit of work or a callback (the writer
// thread) is refused with kInternal: it would wait on itself; SubmitAsync
// from there is allowed (the unit joins a later batch).
#ifndef WARDEN_STORE_SQL_GROUP_COMMITTER_H_
#define WARDEN_STORE_SQL_GROUP_COMMITTER_H_

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/audit_chain_key.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/change_feed.h"
#include "store/sql/connection.h"
#include "store/store.h"

namespace warden::sql {

// The engine's part of a write transaction.
struct WriteSteps {
  // Opens the transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN and
  // the cluster-wide writer lock).
  std::string begin_sql;
  // Runs last in a transaction that applied units, given the ChangeKeys
  // they noted; an error fails the batch. SQLite: the deferred indexes;
  // PostgreSQL: the change log and its notification. May be empty.
  std::function<Status(Connection&, const std::vector<std::string>& changed)>
      before_commit;
};

class GroupCommitter {
 public:
  // Starts the writer thread. `observer`, `audit_key`, `audit_heads` and
  // `changes` may be null; each must outlive the committer.
  GroupCommitter(std::unique_ptr<Connection> connection, WriteSteps steps,
                 int max_batch_units, StoreObserver* observer,
                 const AuditChainKey* audit_key = nullptr,
                 AuditHeadListener* audit_heads = nullptr,
                 ChangeFeed* changes = nullptr);
  ~GroupCommitter();  // Close()
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `work` and blocks until its outcome is known (see above).
  // kUnavailable once Close() has begun.
  Status Submit(UnitOfWork work);

  // Queues `work`; `done` gets its outcome exactly once, on the writer
  // thread, or on the calling thread with kUnavailable once Close() has
  // begun.
  void SubmitAsync(UnitOfWork work, Store::WriteCallback done);

  // Refuses new units, runs the queued ones, stops the writer and closes the
  // write connection. Idempotent.
  void Close();

  // False after a failed begin/commit, until a commit succeeds again.
  bool healthy() const { return healthy_.load(); }

 private:
  // `result` and `done` are guarded by the committer's mu_ while the unit
  // is queued or in a batch (a comment only: the analysis cannot name
  // another object's mutex from a nested type).
  struct PendingUnit {
    UnitOfWork work;
    Status result;
    bool done = false;
    CondVar decided;                // done became true (synchronous)
    Store::WriteCallback callback;  // set: asynchronous, owned by queue
  };
  // A queued unit; `owned` holds asynchronous units (nobody waits on them).
  struct QueuedUnit {
    PendingUnit* unit;
    std::unique_ptr<PendingUnit> owned;
  };

  void RunWriter();
  std::vector<PendingUnit*> NextBatch(
      std::vector<std::unique_ptr<PendingUnit>>& owned);
  void RunBatch(const std::vector<PendingUnit*>& batch);
  static void RunCallback(PendingUnit& unit);
  // Runs batch[first...] in one transaction; returns the index after the
  // last unit it decided (== batch.size() unless SQLite aborted it).
  size_t RunTransaction(const std::vector<PendingUnit*>& batch, size_t first,
                        std::vector<Status>& results);
  Status RunInSavepoint(const UnitOfWork& work);
  // SAVEPOINT / RELEASE through the connection's statement cache (no SQL
  // parse per unit).
  Status RunCached(const char* sql, std::string_view context);
  // Reads the head the open transaction would commit (nullopt: none to
  // report, or it could not be read, which is logged).
  std::optional<AuditHead> PendingAuditHead();

  // Immutable after construction.
  const WriteSteps steps_;
  const size_t max_batch_units_;
  StoreObserver* const observer_;
  const AuditChainKey* const audit_key_;
  AuditHeadListener* const audit_heads_;
  ChangeFeed* const changes_;
  const std::string path_;  // for error messages
  std::thread::id writer_id_;

  // Used only by the writer thread (and by Close after joining it).
  std::unique_ptr<Connection> connection_;
  int64_t reported_audit_sequence_ = 0;
  // ChangeKeys noted by the units of the open transaction.
  std::vector<std::string> changed_;

  Mutex mu_;
  CondVar work_ready_;  // queue_ non-empty or closing_
  std::deque<QueuedUnit> queue_ WARDEN_GUARDED_BY(mu_);
  bool closing_ WARDEN_GUARDED_BY(mu_) = false;

  Mutex close_mu_;  // serialises Close()
  std::thread writer_;
  std::atomic<bool> healthy_{true};
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_GROUP_COMMITTER_H_
