// The Store both engines hand out: writes go to the group committer, reads
// to the read pool. What an engine adds around them comes in Parts: a
// background worker stopped first on Close() (PostgreSQL's change
// follower) and a resource destroyed after every connection (SQLite's
// fault-injecting VFS).
//
// Thread safety: as Store.
#ifndef WARDEN_STORE_SQL_SQL_STORE_H_
#define WARDEN_STORE_SQL_SQL_STORE_H_

#include <memory>
#include <utility>

#include "core/audit_chain_key.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/sql/group_committer.h"
#include "store/sql/read_pool.h"
#include "store/store.h"

namespace warden::sql {

class SqlStore final : public Store {
 public:
  struct Parts {
    std::unique_ptr<const AuditChainKey> audit_key;  // used by committer
    std::unique_ptr<GroupCommitter> committer;
    std::unique_ptr<ReadPool> reads;
    // Destroyed first in Close(), before the committer; may be null.
    std::shared_ptr<void> background;
    // Destroyed after everything else; may be null.
    std::shared_ptr<void> outlives_connections;
  };

  explicit SqlStore(Parts parts)
      : outlives_connections_(std::move(parts.outlives_connections)),
        audit_key_(std::move(parts.audit_key)),
        committer_(std::move(parts.committer)),
        reads_(std::move(parts.reads)),
        background_(std::move(parts.background)) {}
  ~SqlStore() override { Close(); }

  Status Write(UnitOfWork work) override {
    return committer_->Submit(std::move(work));
  }
  void WriteAsync(UnitOfWork work, WriteCallback done) override {
    committer_->SubmitAsync(std::move(work), std::move(done));
  }
  Status Read(UnitOfWork work) override { return reads_->Run(work); }

  void Close() override {
    MutexLock lock(close_mu_);
    background_.reset();
    committer_->Close();
    reads_->Close();
    closed_ = true;
  }

  bool Healthy() override {
    MutexLock lock(close_mu_);
    return !closed_ && committer_->healthy();
  }

 private:
  // Declared first so that it is destroyed last.
  std::shared_ptr<void> outlives_connections_;
  std::unique_ptr<const AuditChainKey> audit_key_;
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<ReadPool> reads_;
  Mutex close_mu_;
  std::shared_ptr<void> background_ WARDEN_GUARDED_BY(close_mu_);
  bool closed_ WARDEN_GUARDED_BY(close_mu_) = false;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_STORE_H_
