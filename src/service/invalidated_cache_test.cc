#include "service/invalidated_cache.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

using std::chrono::seconds;

class InvalidatedCacheTest : public testing::Test {
 protected:
  void Publish(std::string key) {
    const std::vector<std::string> keys = {std::move(key)};
    feed_.Publish(keys);
  }
  void Put(std::string key, int value, std::vector<std::string> tags) {
    cache_.Insert(std::move(key), std::make_shared<const int>(value), tags,
                  cache_.BeginFill(), now_);
  }
  ChangeFeed feed_;
  InvalidatedCache<int> cache_{feed_, seconds(30), 3};
  Timestamp now_ = FromMicros(1'000'000'000'000);
};

TEST_F(InvalidatedCacheTest, FindsUntilTtl) {
  Put("a", 1, {"identity/1"});
  ASSERT_NE(cache_.Find("a", now_), nullptr);
  EXPECT_EQ(*cache_.Find("a", now_ + seconds(29)), 1);
  EXPECT_EQ(cache_.Find("a", now_ + seconds(30)), nullptr);
  EXPECT_EQ(cache_.Find("b", now_), nullptr);
}

TEST_F(InvalidatedCacheTest, PublishedKeyEvictsEveryEntryTaggedWithIt) {
  Put("a", 1, {"api_token/1", "user/olive"});
  Put("b", 2, {"api_token/2", "user/olive"});
  Put("c", 3, {"api_token/3"});
  Publish("user/olive");
  EXPECT_EQ(cache_.Find("a", now_), nullptr);
  EXPECT_EQ(cache_.Find("b", now_), nullptr);
  EXPECT_NE(cache_.Find("c", now_), nullptr);
  Publish("identity/unrelated");
  EXPECT_NE(cache_.Find("c", now_), nullptr);
}

// A fill whose read may predate a published change is not cached.
TEST_F(InvalidatedCacheTest, FillRacingAChangeIsDropped) {
  const uint64_t before_read = cache_.BeginFill();
  Publish("identity/1");  // committed while the fill was reading
  cache_.Insert("a", std::make_shared<const int>(1), {"identity/1"},
                before_read, now_);
  EXPECT_EQ(cache_.Find("a", now_), nullptr);
  Put("a", 2, {"identity/1"});
  EXPECT_EQ(*cache_.Find("a", now_), 2);
}

TEST_F(InvalidatedCacheTest, FullCacheStartsOver) {
  Put("a", 1, {"t/a"});
  Put("b", 2, {"t/b"});
  Put("c", 3, {"t/c"});
  Put("d", 4, {"t/d"});
  EXPECT_EQ(cache_.size(), 1u);
  EXPECT_EQ(*cache_.Find("d", now_), 4);
}

TEST_F(InvalidatedCacheTest, DestroyedCacheIsNoLongerTold) {
  {
    InvalidatedCache<int> scoped(feed_, seconds(30), 3);
    scoped.Insert("x", std::make_shared<const int>(1), {"t/x"},
                  scoped.BeginFill(), now_);
  }
  Publish("t/x");  // would touch the destroyed cache (ASan) if still told
  SUCCEED();
}

}  // namespace
}  // namespace warden
