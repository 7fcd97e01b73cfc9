// A fixed pool of read-only SQLite connections (PRAGMA query_only). Each
// Read runs on one free connection inside BEGIN ... COMMIT, so it sees one
// WAL snapshot, concurrently with the writer and with other reads.
//
// Thread safety: Run and Close may be called from any thread. Run blocks
// while every connection is busy.
#ifndef WARDEN_STORE_SQLITE_READ_POOL_H_
#define WARDEN_STORE_SQLITE_READ_POOL_H_

#include <memory>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace warden::sqlite {

class ReadPool {
 public:
  // `observer` may be null.
  ReadPool(std::vector<std::unique_ptr<Connection>> connections,
           StoreObserver* observer);
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
  static Status RunInSnapshot(Connection& connection, const UnitOfWork& work);

  // Immutable after construction.
  StoreObserver* const observer_;
  const size_t size_;

  Mutex mu_;
  CondVar changed_;  // a connection returned, or closing
  std::vector<std::unique_ptr<Connection>> free_ WARDEN_GUARDED_BY(mu_);
  bool closing_ WARDEN_GUARDED_BY(mu_) = false;
  bool closed_ WARDEN_GUARDED_BY(mu_) = false;  // connections closed
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_READ_POOL_H_
