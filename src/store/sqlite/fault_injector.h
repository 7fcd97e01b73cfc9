// Fault injection seam for the SQLite store (STYLE.md: "a storage hook that
// makes the real SQLite fail", after LevelDB's ErrorEnv).
//
// A FaultInjector is a set of switches a test flips; FaultVfs is a
// sqlite3_vfs that wraps the default VFS and consults the switches on every
// file write and sync, returning the error real hardware would: SQLITE_FULL
// while `disk_full` is armed, SQLITE_IOERR_FSYNC on the next sync after
// `fail_next_sync`. Nothing else is changed, so the real SQLite runs its real
// error paths. HoldSyncs() makes every sync wait until released: a disk
// that stalls, for tests of what must not wait on the writer.
//
// Thread safety: FaultInjector is safe to use from any thread.
// FaultVfs is registered under a name unique to the instance (never as the
// default VFS) and unregistered by its destructor.
// REQUIRES: every connection using the VFS is closed before FaultVfs is
// destroyed; the FaultInjector outlives the FaultVfs.
#ifndef WARDEN_STORE_SQLITE_FAULT_INJECTOR_H_
#define WARDEN_STORE_SQLITE_FAULT_INJECTOR_H_

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "core/mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"

namespace warden {

class FaultInjector {
 public:
  // The next xSync on any file fails once with SQLITE_IOERR_FSYNC.
  void FailNextSync() { fail_next_sync_.store(true); }
  // Every xWrite fails with SQLITE_FULL until cleared.
  void SetDiskFull(bool full) { disk_full_.store(full); }

  // While held, every sync waits (in the writer) until ReleaseSyncs().
  void HoldSyncs() {
    MutexLock lock(hold_mu_);
    holding_ = true;
  }
  void ReleaseSyncs() {
    MutexLock lock(hold_mu_);
    holding_ = false;
    hold_cv_.NotifyAll();
  }
  // True once a sync is waiting in the hold (within `timeout`).
  bool WaitUntilSyncHeld(std::chrono::milliseconds timeout) {
    MutexLock lock(hold_mu_);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (held_ == 0) {
      if (!hold_cv_.WaitUntil(hold_mu_, deadline)) break;
    }
    return held_ > 0;
  }

  // Called by FaultVfs: consumes the one-shot sync failure.
  bool TakeSyncFailure() { return fail_next_sync_.exchange(false); }
  // Called by FaultVfs before each sync: waits while syncs are held.
  void PassSyncHold() {
    MutexLock lock(hold_mu_);
    if (!holding_) return;
    ++held_;
    hold_cv_.NotifyAll();
    while (holding_) hold_cv_.Wait(hold_mu_);
    --held_;
  }
  bool disk_full() const { return disk_full_.load(); }

  // How many faults were injected, for tests to check the seam fired.
  int injected() const { return injected_.load(); }
  void CountInjected() { injected_.fetch_add(1); }

 private:
  std::atomic<bool> fail_next_sync_{false};
  std::atomic<bool> disk_full_{false};
  std::atomic<int> injected_{0};
  Mutex hold_mu_;
  CondVar hold_cv_;
  bool holding_ WARDEN_GUARDED_BY(hold_mu_) = false;
  int held_ WARDEN_GUARDED_BY(hold_mu_) = 0;  // syncs waiting
};

}  // namespace warden

namespace warden::sqlite {

class FaultVfs {
 public:
  // Registers a VFS wrapping the default one. kInternal when SQLite has no
  // default VFS or registration fails.
  static Result<std::unique_ptr<FaultVfs>> Register(FaultInjector& faults);
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  // The name to pass to sqlite3_open_v2.
  const std::string& name() const { return name_; }

  // Internal to the VFS callbacks.
  sqlite3_vfs* root() const { return root_; }
  FaultInjector& faults() const { return faults_; }

 private:
  FaultVfs(FaultInjector& faults, sqlite3_vfs* root);

  FaultInjector& faults_;
  sqlite3_vfs* root_;
  std::string name_;
  sqlite3_vfs vfs_{};
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_FAULT_INJECTOR_H_
