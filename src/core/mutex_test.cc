#include "core/mutex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/shared_mutex.h"

namespace warden {
namespace {

using std::chrono::steady_clock;

TEST(Mutex, TryLockFailsWhileHeld) {
  Mutex mu;
  {
    MutexLock lock(mu);
    std::thread other([&mu] {
      EXPECT_FALSE(mu.try_lock());  // held by the test thread
    });
    other.join();
  }
  ASSERT_TRUE(mu.try_lock());
  mu.unlock();
}

TEST(CondVar, WaitReturnsHoldingTheMutexAfterNotify) {
  Mutex mu;
  CondVar changed;
  bool ready = false;
  std::thread producer([&] {
    MutexLock lock(mu);
    ready = true;
    changed.NotifyOne();
  });
  {
    MutexLock lock(mu);
    while (!ready) changed.Wait(mu);
    EXPECT_TRUE(ready);
  }
  producer.join();
  // Wait left the mutex held for MutexLock to release exactly once.
  ASSERT_TRUE(mu.try_lock());
  mu.unlock();
}

TEST(CondVar, WaitUntilReportsTheDeadline) {
  Mutex mu;
  CondVar never;
  MutexLock lock(mu);
  const auto deadline = steady_clock::now() + std::chrono::milliseconds(20);
  bool notified = true;
  // A spurious wake-up returns true early; only the deadline returns false.
  while (notified) notified = never.WaitUntil(mu, deadline);
  EXPECT_GE(steady_clock::now(), deadline);
}

TEST(SharedMutex, ReadersShareWritersExclude) {
  SharedMutex mu;
  {
    ReaderMutexLock reader(mu);
    std::thread other([&mu] {
      EXPECT_TRUE(mu.try_lock_shared());
      mu.unlock_shared();
      EXPECT_FALSE(mu.try_lock());
    });
    other.join();
  }
  {
    WriterMutexLock writer(mu);
    std::thread other([&mu] { EXPECT_FALSE(mu.try_lock_shared()); });
    other.join();
  }
  ASSERT_TRUE(mu.try_lock());
  mu.unlock();
}

}  // namespace
}  // namespace warden
