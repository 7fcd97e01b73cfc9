#include "store/sql/group_committer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include "store/sql/sql_audit_log.h"
#include "store/sql/sql_transaction.h"

namespace warden::sql {
namespace {

// A queue deeper than this in one transaction would hold the write lock
// (and every caller's latency) too long.
constexpr int kMaxBatchUnitsLimit = 10000;

Status Lost(const Status& cause) {
  return Unavailable("write not applied: the transaction failed: " +
                     cause.message());
}

}  // namespace

GroupCommitter::GroupCommitter(std::unique_ptr<Connection> connection,
                               WriteSteps steps, int max_batch_units,
                               StoreObserver* observer,
                               const AuditChainKey* audit_key,
                               AuditHeadListener* audit_heads,
                               ChangeFeed* changes)
    : steps_(std::move(steps)),
      max_batch_units_(static_cast<size_t>(
          std::clamp(max_batch_units, 1, kMaxBatchUnitsLimit))),
      observer_(observer),
      audit_key_(audit_key),
      audit_heads_(audit_heads),
      changes_(changes),
      path_(connection->location()),
      connection_(std::move(connection)) {
  writer_ = std::thread([this] { RunWriter(); });
  writer_id_ = writer_.get_id();
}

GroupCommitter::~GroupCommitter() { Close(); }

Status GroupCommitter::Submit(UnitOfWork work) {
  if (std::this_thread::get_id() == writer_id_) {
    return Internal("Store::Write called from inside a unit of work");
  }
  PendingUnit unit{std::move(work), Status::Ok(), false, {}, nullptr};
  MutexLock lock(mu_);
  if (closing_) {
    return Unavailable("store is closed [" + path_ + "]");
  }
  queue_.push_back({&unit, nullptr});
  work_ready_.NotifyOne();
  while (!unit.done) unit.decided.Wait(mu_);
  return unit.result;
}

void GroupCommitter::SubmitAsync(UnitOfWork work, Store::WriteCallback done) {
  auto unit = std::make_unique<PendingUnit>();
  unit->work = std::move(work);
  unit->callback = std::move(done);
  {
    MutexLock lock(mu_);
    if (!closing_) {
      PendingUnit* raw = unit.get();
      queue_.push_back({raw, std::move(unit)});
      work_ready_.NotifyOne();
      return;
    }
  }
  unit->result = Unavailable("store is closed [" + path_ + "]");
  RunCallback(*unit);
}

// The callback belongs to the caller's code; nothing it does may stop the
// writer (every later unit would wait forever).
void GroupCommitter::RunCallback(PendingUnit& unit) {
  try {
    unit.callback(std::move(unit.result));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "store: write callback threw: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "store: write callback threw\n");
  }
}

void GroupCommitter::Close() {
  MutexLock close_lock(close_mu_);
  {
    MutexLock lock(mu_);
    closing_ = true;
  }
  work_ready_.NotifyAll();
  if (writer_.joinable()) writer_.join();
  connection_.reset();
}

void GroupCommitter::RunWriter() {
  while (true) {
    std::vector<std::unique_ptr<PendingUnit>> owned;
    std::vector<PendingUnit*> batch = NextBatch(owned);
    if (batch.empty()) return;
    RunBatch(batch);
    // Asynchronous outcomes, in queue order, after the synchronous callers
    // were woken and with no lock held. Only `owned` is touched here: a
    // woken synchronous caller may already have destroyed its unit.
    for (const std::unique_ptr<PendingUnit>& unit : owned) RunCallback(*unit);
  }
}

std::vector<GroupCommitter::PendingUnit*> GroupCommitter::NextBatch(
    std::vector<std::unique_ptr<PendingUnit>>& owned) {
  MutexLock lock(mu_);
  while (queue_.empty() && !closing_) work_ready_.Wait(mu_);
  std::vector<PendingUnit*> batch;
  while (!queue_.empty() && batch.size() < max_batch_units_) {
    batch.push_back(queue_.front().unit);
    if (queue_.front().owned) owned.push_back(std::move(queue_.front().owned));
    queue_.pop_front();
  }
  return batch;  // empty only when closing with nothing queued
}

void GroupCommitter::RunBatch(const std::vector<PendingUnit*>& batch) {
  std::vector<Status> results(batch.size());
  size_t next = 0;
  while (next < batch.size()) next = RunTransaction(batch, next, results);
  // Notified under the lock: a caller can only return (and destroy its
  // PendingUnit) after the writer has released mu_.
  MutexLock lock(mu_);
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->result = std::move(results[i]);
    batch[i]->done = true;
    if (!batch[i]->callback) batch[i]->decided.NotifyOne();
  }
}

Status GroupCommitter::RunCached(const char* sql, std::string_view context) {
  WARDEN_ASSIGN_OR_RETURN(Statement statement,
                          connection_->Prepare(sql, context));
  return statement.Run(context);
}

size_t GroupCommitter::RunTransaction(const std::vector<PendingUnit*>& batch,
                                      size_t first,
                                      std::vector<Status>& results) {
  auto start = std::chrono::steady_clock::now();
  Status begin = connection_->Exec(steps_.begin_sql, "begin write");
  if (!begin.ok()) {
    healthy_ = false;
    for (size_t i = first; i < batch.size(); ++i) results[i] = Lost(begin);
    return batch.size();
  }
  int applied = 0;
  changed_.clear();
  for (size_t i = first; i < batch.size(); ++i) {
    results[i] = RunInSavepoint(batch[i]->work);
    if (!connection_->InTransaction()) {
      // The engine rolled everything back: earlier units of this
      // transaction are gone too. Later units get a fresh transaction.
      healthy_ = false;
      Status cause = results[i].ok() ? Unavailable("aborted") : results[i];
      for (size_t j = first; j <= i; ++j) {
        if (results[j].ok()) results[j] = Lost(cause);
      }
      return i + 1;
    }
    if (results[i].ok()) ++applied;
  }
  // The previous batch's head is recorded before this one can commit.
  if (applied > 0 && audit_heads_ != nullptr) audit_heads_->AwaitRecorded();
  // Nothing to make durable: skip the fsync.
  Status end = Status::Ok();
  std::optional<AuditHead> head;
  if (applied > 0) {
    if (steps_.before_commit)
      end = steps_.before_commit(*connection_, changed_);
    if (end.ok()) head = PendingAuditHead();
  }
  if (end.ok()) {
    end = connection_->Exec(applied > 0 ? "COMMIT" : "ROLLBACK",
                            "commit write batch");
  }
  if (!end.ok()) {
    if (connection_->InTransaction()) {
      (void)connection_->Exec("ROLLBACK", "roll back failed commit");
    }
    healthy_ = false;
    for (size_t i = first; i < batch.size(); ++i) {
      if (results[i].ok()) results[i] = Lost(end);
    }
  } else {
    healthy_ = true;
    if (head && head->sequence > reported_audit_sequence_) {
      reported_audit_sequence_ = head->sequence;
      audit_heads_->OnCommitted(*head);
    }
    if (changes_ != nullptr) changes_->Publish(changed_);
  }
  if (observer_ != nullptr) {
    observer_->OnCommit(std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start),
                        static_cast<int>(batch.size() - first));
  }
  return batch.size();
}

std::optional<AuditHead> GroupCommitter::PendingAuditHead() {
  if (audit_heads_ == nullptr) return std::nullopt;
  // One indexed lookup per batch, under the transaction's write lock.
  Result<AuditHead> head = SqlAuditLog::ReadHead(*connection_);
  if (!head.ok()) {
    std::fprintf(stderr, "store: %s\n", head.status().ToString().c_str());
    return std::nullopt;
  }
  return *head;
}

Status GroupCommitter::RunInSavepoint(const UnitOfWork& work) {
  WARDEN_RETURN_IF_ERROR(RunCached("SAVEPOINT unit", "begin unit"));
  Status result;
  {
    SqlTransaction transaction(*connection_, /*writable=*/true, audit_key_,
                               &changed_);
    result = RunUnitOfWork(work, transaction);
  }
  if (!connection_->InTransaction()) return result;
  if (result.ok()) {
    Status released = RunCached("RELEASE unit", "release unit");
    if (released.ok()) return result;
    result = released;
  }
  Status undone =
      connection_->Exec("ROLLBACK TO unit; RELEASE unit", "roll back unit");
  if (!undone.ok() && connection_->InTransaction()) {
    // The unit's effects could not be undone alone: abandon the whole
    // transaction rather than commit them (the caller sees the abort).
    (void)connection_->Exec("ROLLBACK", "abandon write transaction");
  }
  return result;
}

}  // namespace warden::sql
