// ChangeFollower: brings other replicas' commits to this process's
// ChangeFeed (store/change_feed.h).
//
// A thread with its own connection LISTENs on kChangeChannel and, on each
// notification (and every kPollInterval regardless, which also notices a
// dead connection), reads the change_log rows after the last revision it
// saw, in revision order, and publishes the keys of rows other replicas
// wrote. After a lost connection it reconnects (with backoff), LISTENs again
// and catches up from the same revision, so nothing committed is missed.
// Should rows it never saw have been pruned meanwhile (a replica cut off
// for longer than the log keeps), it publishes ChangeKey::Everything().
// The same connection carries the scheduler lease (store/cluster_lease.h):
// losing the connection loses the lease at once.
//
// Thread safety: constructed and destroyed on one thread; the follower's
// thread is its own.
#ifndef WARDEN_STORE_POSTGRES_PG_CHANGE_FOLLOWER_H_
#define WARDEN_STORE_POSTGRES_PG_CHANGE_FOLLOWER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "store/change_feed.h"
#include "store/change_follower_health.h"
#include "store/cluster_lease.h"

namespace warden::postgres {

class ChangeFollower {
 public:
  using RemoteChanges = std::function<void(std::span<const std::string>)>;

  static constexpr std::chrono::milliseconds kPollInterval{2000};

  // Starts following after `start_revision` (the log's head when the store
  // opened: history is not replayed). `feed`, `on_remote`, `lease` and
  // `health` may be null; with a lease, the follower also tries
  // kSchedulerLock on its connection at every poll and reports whether it
  // holds it; `health` hears each read that reached the log's head.
  ChangeFollower(std::string uri, std::string replica_id,
                 int64_t start_revision, ChangeFeed* feed,
                 RemoteChanges on_remote, ClusterLease* lease = nullptr,
                 ChangeFollowerHealth* health = nullptr);
  ~ChangeFollower();  // stops and joins the thread
  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;

  // The last revision read (for tests and metrics).
  int64_t revision() const { return revision_.load(); }

 private:
  void Run();

  const std::string uri_;
  const std::string replica_id_;
  ChangeFeed* const feed_;
  const RemoteChanges on_remote_;
  ClusterLease* const lease_;
  ChangeFollowerHealth* const health_;
  std::atomic<int64_t> revision_;
  std::atomic<bool> stopping_{false};
  int wake_pipe_[2] = {-1, -1};  // written by the destructor
  std::thread thread_;
};

}  // namespace warden::postgres

#endif  // WARDEN_STORE_POSTGRES_PG_CHANGE_FOLLOWER_H_
