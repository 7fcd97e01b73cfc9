#include "http/request_id.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "core/id.h"

namespace warden {
namespace {

TEST(RequestIdTest, IsAVersion8UuidWithPrefixThenSequence) {
  RequestIdGenerator ids(0x0123456789abcdefull, 5);
  EXPECT_EQ(ids.Next(), "01234567-89ab-8def-8000-000000000005");
  EXPECT_EQ(ids.Next(), "01234567-89ab-8def-8000-000000000006");
}

TEST(RequestIdTest, SequenceWrapsWithinItsBitsKeepingTheVariant) {
  RequestIdGenerator ids(0, 0x3fffffffffffffffull);
  EXPECT_EQ(ids.Next(), "00000000-0000-8000-bfff-ffffffffffff");
  EXPECT_EQ(ids.Next(), "00000000-0000-8000-8000-000000000000");
}

TEST(RequestIdTest, WellFormedAndUniqueAcrossThreads) {
  RequestIdGenerator ids;
  constexpr int kThreads = 4, kEach = 2000;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) made[t].push_back(ids.Next());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& list : made) {
    for (const auto& id : list) {
      EXPECT_TRUE(IsWellFormedId(id)) << id;
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
}

TEST(RequestIdTest, ClientIdsAreAdoptedOnlyWhenSafeToEcho) {
  EXPECT_TRUE(IsWellFormedRequestId("bfe9eb29-ab87-4ca3-be83-a1d5d8305716"));
  EXPECT_TRUE(IsWellFormedRequestId("trace:01.span_2"));
  EXPECT_FALSE(IsWellFormedRequestId(""));
  EXPECT_FALSE(IsWellFormedRequestId("a b"));
  EXPECT_FALSE(IsWellFormedRequestId("line\r\nSet-Cookie: x"));
  EXPECT_FALSE(IsWellFormedRequestId(std::string(129, 'a')));
  EXPECT_TRUE(IsWellFormedRequestId(std::string(128, 'a')));
}

TEST(RequestIdTest, GeneratorsDrawDifferentPrefixes) {
  RequestIdGenerator a, b;
  EXPECT_NE(a.Next().substr(0, 18), b.Next().substr(0, 18));
}

}  // namespace
}  // namespace warden
