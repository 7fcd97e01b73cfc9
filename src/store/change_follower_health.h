// ChangeFollowerHealth: when this replica last read the shared store's
// change log to its end (store/postgres/pg_change_follower.h), so /readyz
// can take a replica out of service while other replicas' changes do not
// reach it (its caches, published configuration and revocations would go
// stale). A store nobody else writes (SQLite) has no follower and no
// health to report.
//
// Thread safety: every method from any thread.
#ifndef WARDEN_STORE_CHANGE_FOLLOWER_HEALTH_H_
#define WARDEN_STORE_CHANGE_FOLLOWER_HEALTH_H_

#include <atomic>
#include <cstdint>
#include <optional>

#include "core/clock.h"

namespace warden {

class ChangeFollowerHealth {
 public:
  // The follower read every row up to the log's head at `at`.
  void NoteCaughtUp(Timestamp at) {
    caught_up_us_.store(ToMicros(at), std::memory_order_release);
  }
  // nullopt until the first complete read.
  std::optional<Timestamp> caught_up_at() const {
    const int64_t us = caught_up_us_.load(std::memory_order_acquire);
    if (us == kNever) return std::nullopt;
    return FromMicros(us);
  }

 private:
  static constexpr int64_t kNever = INT64_MIN;
  std::atomic<int64_t> caught_up_us_{kNever};
};

}  // namespace warden

#endif  // WARDEN_STORE_CHANGE_FOLLOWER_HEALTH_H_
