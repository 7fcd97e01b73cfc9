#include "store/sql/read_pool.h"

#include <chrono>

#include "store/sql/sql_transaction.h"

namespace warden::sql {

ReadPool::ReadPool(std::vector<std::unique_ptr<Connection>> connections,
                   std::string begin_sql, StoreObserver* observer)
    : begin_sql_(std::move(begin_sql)),
      observer_(observer),
      size_(connections.size()),
      free_(std::move(connections)) {}

ReadPool::~ReadPool() { Close(); }

Status ReadPool::Run(const UnitOfWork& work) {
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Connection> connection = Acquire();
  if (connection == nullptr) return Unavailable("store is closed");
  Status result = RunInSnapshot(*connection, work);
  Release(std::move(connection));
  if (observer_ != nullptr) {
    observer_->OnRead(std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start));
  }
  return result;
}

Status ReadPool::RunInSnapshot(Connection& connection, const UnitOfWork& work) {
  WARDEN_RETURN_IF_ERROR(connection.Exec(begin_sql_, "begin read"));
  Status result;
  {
    SqlTransaction transaction(connection, /*writable=*/false);
    result = RunUnitOfWork(work, transaction);
  }
  // A read transaction has nothing to keep: ending it only drops the
  // snapshot, so its outcome does not change the unit's result.
  if (connection.InTransaction()) {
    (void)connection.Exec("COMMIT", "end read");
  }
  if (connection.InTransaction()) {
    (void)connection.Exec("ROLLBACK", "end read");
  }
  return result;
}

void ReadPool::Close() {
  MutexLock lock(mu_);
  closing_ = true;
  changed_.NotifyAll();
  while (!closed_ && free_.size() != size_) changed_.Wait(mu_);
  if (closed_) return;
  free_.clear();
  closed_ = true;
  changed_.NotifyAll();
}

std::unique_ptr<Connection> ReadPool::Acquire() {
  MutexLock lock(mu_);
  while (!closing_ && free_.empty()) changed_.Wait(mu_);
  if (closing_) return nullptr;
  std::unique_ptr<Connection> connection = std::move(free_.back());
  free_.pop_back();
  return connection;
}

void ReadPool::Release(std::unique_ptr<Connection> connection) {
  MutexLock lock(mu_);
  free_.push_back(std::move(connection));
  changed_.NotifyAll();
}

}  // namespace warden::sql
