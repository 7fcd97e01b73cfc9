// ClusterLease: whether this process runs the scheduled work of everything
// sharing its store (expiry and finding sweeps, stage advances, scans,
// signing key rotation), so that work runs once per cluster, not once per
// replica.
//
// A process alone on its store (SQLite) always holds it. On PostgreSQL the
// store's change follower holds a session advisory lock (kSchedulerLock)
// on its connection and reports it here: exactly one live replica holds it,
// and when that replica dies its session ends, the lock is released and
// another replica takes it at its next poll.
//
// Thread safety: every method from any thread.
#ifndef WARDEN_STORE_CLUSTER_LEASE_H_
#define WARDEN_STORE_CLUSTER_LEASE_H_

#include <atomic>

namespace warden {

class ClusterLease {
 public:
  // `held`: the initial state (true for a store no one else shares).
  explicit ClusterLease(bool held = true) : held_(held) {}

  bool held() const { return held_.load(std::memory_order_acquire); }
  void Set(bool held) { held_.store(held, std::memory_order_release); }

 private:
  std::atomic<bool> held_;
};

}  // namespace warden

#endif  // WARDEN_STORE_CLUSTER_LEASE_H_
