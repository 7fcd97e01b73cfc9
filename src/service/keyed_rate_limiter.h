// KeyedRateLimiter: a token bucket per key: the OAuth client at the token
// endpoint, the API token on the OFREP evaluation path, the source address
// of failed authentications (AuthFailureThrottle).
//
// Each client starts with `burst` tokens, refilled at `per_second`. A
// request takes one; an empty bucket refuses with the wait until the next
// token (the Retry-After value). Buckets of idle clients are dropped when
// the map grows past max_clients, bounding memory against floods of
// made-up client ids.
//
// Thread-safety: Acquire() and Peek() may be called concurrently (one
// short mutex).
#ifndef WARDEN_SERVICE_KEYED_RATE_LIMITER_H_
#define WARDEN_SERVICE_KEYED_RATE_LIMITER_H_

#include <chrono>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace warden {

struct RateLimit {
  double per_second = 50;
  double burst = 100;
  size_t max_clients = 100'000;
};

class KeyedRateLimiter {
 public:
  explicit KeyedRateLimiter(RateLimit limit) : limit_(limit) {}

  // 0 when allowed; else the whole seconds to wait (at least 1).
  std::chrono::seconds Acquire(std::string_view client_id, Timestamp now);

  // What Acquire() would answer, without taking a token or creating a
  // bucket (an unknown key has a full bucket): for limits that charge only
  // some outcomes (failures) but refuse every attempt once empty.
  std::chrono::seconds Peek(std::string_view client_id, Timestamp now);

 private:
  struct Bucket {
    double tokens = 0;
    Timestamp updated{};
  };
  void DropIdleLocked(Timestamp now) WARDEN_REQUIRES(mu_);
  // Refills `bucket` (one of buckets_) up to `now`.
  void RefillLocked(Bucket& bucket, Timestamp now) const WARDEN_REQUIRES(mu_);
  std::chrono::seconds WaitFor(const Bucket& bucket) const;

  // Immutable after construction.
  const RateLimit limit_;

  Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden

#endif  // WARDEN_SERVICE_KEYED_RATE_LIMITER_H_
