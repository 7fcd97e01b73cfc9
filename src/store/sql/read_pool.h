// A fixed pool of read connections. Each Read runs on one free connection
// inside `begin_sql` ... COMMIT, so it sees one snapshot (SQLite: a WAL
// snapshot on a query_only connection; PostgreSQL: a REPEATABLE READ, READ
// ONLY transaction), concurrently with the writer and with other reads.
//
// Thread safety: Run and Close may be called from any thread. Run blocks
// while every connection is busy.
#ifndef WARDEN_STORE_SQL_READ_POOL_H_
#define WARDEN_STORE_SQL_READ_POOL_H_

#include <memory>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/sql/connection.h"
#include "store/store.h"

namespace warden::sql {

class ReadPool {
 public:
  // `begin_sql` opens a read snapshot. `observer` may be null.
  ReadPool(std::vector<std::unique_ptr<Connection>> connections,
           std::string begin_sql, StoreObserver* observer);
  ~ReadPool();  // Close()
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // Runs `work` on a read snapshot. Repository writes fail with kInternal.
  // kUnavailable once Close() has begun.
  Status Run(const UnitOfWork& work);

  // Refuses new reads, waits for running ones, closes every connection.
  // Idempotent.
  void Close();

 private:
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> connection);
  Status RunInSnapshot(Connection& connection, const UnitOfWork& work);

  // Immutable after construction.
  const std::string begin_sql_;
  StoreObserver* const observer_;
  const size_t size_;

  Mutex mu_;
  CondVar changed_;  // a connection returned, or closing
  std::vector<std::unique_ptr<Connection>> free_ WARDEN_GUARDED_BY(mu_);
  bool closing_ WARDEN_GUARDED_BY(mu_) = false;
  bool closed_ WARDEN_GUARDED_BY(mu_) = false;  // connections closed
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_READ_POOL_H_
