// SharedMutex, ReaderMutexLock and WriterMutexLock: std::shared_mutex and
// its scoped locks carrying Clang's thread-safety annotations, for state
// read far more often than written. Why a wrapper: see core/mutex.h.
//
// A member WARDEN_GUARDED_BY a SharedMutex may be read under either lock
// and written only under WriterMutexLock; a helper that only reads is
// declared WARDEN_REQUIRES_SHARED(mu_).
//
// Thread safety: as std::shared_mutex. Neither copyable nor movable.
#ifndef WARDEN_CORE_SHARED_MUTEX_H_
#define WARDEN_CORE_SHARED_MUTEX_H_

#include <shared_mutex>

#include "core/thread_annotations.h"

namespace warden {

class WARDEN_CAPABILITY("shared mutex") SharedMutex {
 public:
  SharedMutex() = default;
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  // Exclusive (writers). Standard names: a SharedMutex is a Lockable.
  void lock() WARDEN_ACQUIRE() { mu_.lock(); }
  void unlock() WARDEN_RELEASE() { mu_.unlock(); }
  bool try_lock() WARDEN_TRY_ACQUIRE(true) { return mu_.try_lock(); }

  // Shared (readers).
  void lock_shared() WARDEN_ACQUIRE_SHARED() { mu_.lock_shared(); }
  void unlock_shared() WARDEN_RELEASE_SHARED() { mu_.unlock_shared(); }
  bool try_lock_shared() WARDEN_TRY_ACQUIRE_SHARED(true) {
    return mu_.try_lock_shared();
  }

 private:
  std::shared_mutex mu_;
};

// Holds `mu` shared from construction to destruction.
class WARDEN_SCOPED_CAPABILITY ReaderMutexLock {
 public:
  explicit ReaderMutexLock(SharedMutex& mu) WARDEN_ACQUIRE_SHARED(mu)
      : mu_(mu) {
    mu_.lock_shared();
  }
  ~ReaderMutexLock() WARDEN_RELEASE() { mu_.unlock_shared(); }
  ReaderMutexLock(const ReaderMutexLock&) = delete;
  ReaderMutexLock& operator=(const ReaderMutexLock&) = delete;

 private:
  SharedMutex& mu_;
};

// Holds `mu` exclusively from construction to destruction.
class WARDEN_SCOPED_CAPABILITY WriterMutexLock {
 public:
  explicit WriterMutexLock(SharedMutex& mu) WARDEN_ACQUIRE(mu) : mu_(mu) {
    mu_.lock();
  }
  ~WriterMutexLock() WARDEN_RELEASE() { mu_.unlock(); }
  WriterMutexLock(const WriterMutexLock&) = delete;
  WriterMutexLock& operator=(const WriterMutexLock&) = delete;

 private:
  SharedMutex& mu_;
};

}  // namespace warden

#endif  // WARDEN_CORE_SHARED_MUTEX_H_
