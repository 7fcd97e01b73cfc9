#include "service/keyed_rate_limiter.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(KeyedRateLimiterTest, BurstThenRetryAfterThenRefill) {
  KeyedRateLimiter limiter({/*per_second=*/2, /*burst=*/4, 100});
  const Timestamp t0 = FromMicros(1'000'000'000'000);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(limiter.Acquire("a", t0).count(), 0) << i;
  }
  EXPECT_EQ(limiter.Acquire("a", t0).count(), 1);
  // Other clients have their own bucket.
  EXPECT_EQ(limiter.Acquire("b", t0).count(), 0);
  // Half a second refills one token at 2/s.
  EXPECT_EQ(limiter.Acquire("a", t0 + std::chrono::milliseconds(500)).count(),
            0);
  EXPECT_GT(limiter.Acquire("a", t0 + std::chrono::milliseconds(500)).count(),
            0);
}

TEST(KeyedRateLimiterTest, BoundedNumberOfClients) {
  KeyedRateLimiter limiter({1, 1, /*max_clients=*/2});
  const Timestamp t0 = FromMicros(1'000'000'000'000);
  EXPECT_EQ(limiter.Acquire("a", t0).count(), 0);
  EXPECT_EQ(limiter.Acquire("b", t0).count(), 0);
  // Full of busy buckets: a new client is refused rather than growing.
  EXPECT_GT(limiter.Acquire("c", t0).count(), 0);
  // Once the others are idle (refilled), their buckets are dropped.
  EXPECT_EQ(limiter.Acquire("c", t0 + std::chrono::seconds(2)).count(), 0);
}

TEST(KeyedRateLimiterTest, PeekNeitherTakesNorCreates) {
  KeyedRateLimiter limiter({/*per_second=*/1, /*burst=*/2, /*max_clients=*/1});
  const Timestamp t0 = FromMicros(1'000'000'000'000);
  EXPECT_EQ(limiter.Peek("a", t0).count(), 0);
  EXPECT_EQ(limiter.Peek("a", t0).count(), 0);
  // Peeking created no bucket: "b" still gets the one slot.
  EXPECT_EQ(limiter.Acquire("b", t0).count(), 0);
  EXPECT_EQ(limiter.Acquire("b", t0).count(), 0);
  EXPECT_EQ(limiter.Peek("b", t0).count(), 1);
  EXPECT_EQ(limiter.Peek("b", t0 + std::chrono::seconds(1)).count(), 0);
}

}  // namespace
}  // namespace warden
