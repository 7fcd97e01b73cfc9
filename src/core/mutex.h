// Mutex, MutexLock and CondVar: std::mutex, std::lock_guard and
// std::condition_variable carrying Clang's thread-safety annotations
// (core/thread_annotations.h).
//
// Why a wrapper: the analysis tracks only types marked as capabilities, and
// libstdc++'s mutex and locks carry no such mark, so a member commented
// "guarded by mu_" is checked by nobody. These types are the standard ones
// with the marks and nothing else: same size, every member an inline
// forwarding call, no behaviour of their own.
//
// Contract:
//   - Mutex is a non-recursive exclusive lock (std::mutex). lock(), unlock()
//     and try_lock() keep the standard's lower-case names so a Mutex is a
//     Lockable (std::scoped_lock and std::condition_variable_any take it).
//   - MutexLock holds a Mutex for its scope (std::lock_guard). Prefer it to
//     pairing lock() and unlock() by hand.
//   - CondVar is a std::condition_variable used with a Mutex the caller
//     holds: Wait releases it while blocked and holds it again on return.
//     Wake-ups may be spurious, so a wait sits in a loop on its condition:
//         MutexLock lock(mu_);
//         while (queue_.empty() && !closing_) work_ready_.Wait(mu_);
//     A loop rather than a predicate lambda keeps the condition inside the
//     function the analysis checks (a lambda is a function of its own, not
//     known to hold mu_).
//
// The std::mutex inside is private: CondVar, a friend, is the only code
// that hands it to a std::condition_variable (adopting the caller's lock
// and leaving it held), so no escape hatch is left for code to bypass the
// analysis with.
//
// Thread safety: as the standard types. Neither copyable nor movable.
#ifndef WARDEN_CORE_MUTEX_H_
#define WARDEN_CORE_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/thread_annotations.h"

namespace warden {

class WARDEN_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() WARDEN_ACQUIRE() { mu_.lock(); }
  void unlock() WARDEN_RELEASE() { mu_.unlock(); }
  // True when acquired; never blocks.
  bool try_lock() WARDEN_TRY_ACQUIRE(true) { return mu_.try_lock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` from construction to destruction.
class WARDEN_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) WARDEN_ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~MutexLock() WARDEN_RELEASE() { mu_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mu`, blocks until notified (or spuriously woken), then holds
  // `mu` again. Every waiter on one CondVar uses the same Mutex.
  void Wait(Mutex& mu) WARDEN_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // still held, as on entry: the caller's to release
  }

  // As Wait, but returns false once `deadline` has passed without a
  // notification (the caller re-checks its condition either way).
  bool WaitUntil(Mutex& mu, std::chrono::steady_clock::time_point deadline)
      WARDEN_REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    const std::cv_status status = cv_.wait_until(lock, deadline);
    lock.release();
    return status == std::cv_status::no_timeout;
  }

  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace warden

#endif  // WARDEN_CORE_MUTEX_H_
