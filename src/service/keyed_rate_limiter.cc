#include "service/keyed_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace warden {
namespace {

double Seconds(Timestamp from, Timestamp to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

void KeyedRateLimiter::DropIdleLocked(Timestamp now) {
  // A bucket that would be full again carries no information.
  const double refill_seconds = limit_.burst / limit_.per_second;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (Seconds(it->second.updated, now) >= refill_seconds) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

std::chrono::seconds KeyedRateLimiter::Acquire(std::string_view client_id,
                                               Timestamp now) {
  MutexLock lock(mu_);
  auto it = buckets_.find(std::string(client_id));
  if (it == buckets_.end()) {
    if (buckets_.size() >= limit_.max_clients) DropIdleLocked(now);
    if (buckets_.size() >= limit_.max_clients) return std::chrono::seconds(1);
    it = buckets_.emplace(std::string(client_id), Bucket{limit_.burst, now})
             .first;
  }
  Bucket& bucket = it->second;
  RefillLocked(bucket, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::chrono::seconds(0);
  }
  return WaitFor(bucket);
}

std::chrono::seconds KeyedRateLimiter::Peek(std::string_view client_id,
                                            Timestamp now) {
  MutexLock lock(mu_);
  auto it = buckets_.find(std::string(client_id));
  if (it == buckets_.end()) return std::chrono::seconds(0);
  RefillLocked(it->second, now);
  if (it->second.tokens >= 1) return std::chrono::seconds(0);
  return WaitFor(it->second);
}

void KeyedRateLimiter::RefillLocked(Bucket& bucket, Timestamp now) const {
  const double elapsed = std::max(0.0, Seconds(bucket.updated, now));
  bucket.tokens =
      std::min(limit_.burst, bucket.tokens + elapsed * limit_.per_second);
  bucket.updated = now;
}

std::chrono::seconds KeyedRateLimiter::WaitFor(const Bucket& bucket) const {
  const double wait = (1 - bucket.tokens) / limit_.per_second;
  return std::chrono::seconds(
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait))));
}

}  // namespace warden
