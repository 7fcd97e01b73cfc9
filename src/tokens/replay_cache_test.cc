#include "tokens/replay_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

using std::chrono::seconds;
const Timestamp kNow = FromMicros(int64_t{1'800'000'000} * 1'000'000);

TEST(ReplayCache, RefusesReplayUntilExpiry) {
  ReplayCache cache;
  ASSERT_TRUE(cache.CheckAndInsert("c", "j1", kNow + seconds(60), kNow).ok());
  EXPECT_EQ(TokenErrorOf(cache.CheckAndInsert("c", "j1", kNow + seconds(60),
                                              kNow + seconds(59))),
            TokenError::kReplayed);
  EXPECT_TRUE(
      cache.CheckAndInsert("other", "j1", kNow + seconds(60), kNow).ok());
  EXPECT_TRUE(
      cache.CheckAndInsert("c", "j1", kNow + seconds(120), kNow + seconds(60))
          .ok());
}

TEST(ReplayCache, ClientAndJtiDoNotCollide) {
  ReplayCache cache;
  ASSERT_TRUE(cache.CheckAndInsert("ab", "c", kNow + seconds(60), kNow).ok());
  EXPECT_TRUE(cache.CheckAndInsert("a", "bc", kNow + seconds(60), kNow).ok());
}

TEST(ReplayCache, BoundedAndFailsClosedWhenFull) {
  ReplayCache cache(2);
  ASSERT_TRUE(cache.CheckAndInsert("c", "1", kNow + seconds(10), kNow).ok());
  ASSERT_TRUE(cache.CheckAndInsert("c", "2", kNow + seconds(20), kNow).ok());
  Status full = cache.CheckAndInsert("c", "3", kNow + seconds(30), kNow);
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  // Once the first entry expires there is room again.
  EXPECT_TRUE(
      cache.CheckAndInsert("c", "3", kNow + seconds(30), kNow + seconds(10))
          .ok());
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ReplayCache, ConcurrentInsertsAcceptEachJtiOnce) {
  ReplayCache cache;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (cache
                .CheckAndInsert("c", std::to_string(i), kNow + seconds(60),
                                kNow)
                .ok()) {
          ++accepted;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 200);
}

// One client minting assertions as fast as it may must not
// fill the cache and lock every other private_key_jwt client out.
TEST(ReplayCache, PerClientQuotaLeavesRoomForOthers) {
  ReplayCache cache(/*max_entries=*/10, /*max_per_client=*/3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(cache
                    .CheckAndInsert("greedy", std::to_string(i),
                                    kNow + seconds(300), kNow)
                    .ok());
  }
  Status quota = cache.CheckAndInsert("greedy", "3", kNow + seconds(300), kNow);
  EXPECT_EQ(quota.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(quota.problem(), "replay-quota");
  EXPECT_GT(quota.retry_after().count(), 0);
  EXPECT_TRUE(
      cache.CheckAndInsert("modest", "0", kNow + seconds(300), kNow).ok());
  // Expired entries give the quota back.
  EXPECT_TRUE(cache
                  .CheckAndInsert("greedy", "4", kNow + seconds(600),
                                  kNow + seconds(301))
                  .ok());
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ReplayCache, FullCacheRefusalCarriesARetryHint) {
  ReplayCache cache(/*max_entries=*/1, /*max_per_client=*/1);
  ASSERT_TRUE(cache.CheckAndInsert("a", "1", kNow + seconds(40), kNow).ok());
  Status full = cache.CheckAndInsert("b", "1", kNow + seconds(40), kNow);
  EXPECT_EQ(full.problem(), "replay-cache-full");
  EXPECT_EQ(full.retry_after().count(), 40);
}

}  // namespace
}  // namespace warden::tokens
