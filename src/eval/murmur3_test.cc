#include "eval/murmur3.h"

#include <gtest/gtest.h>

#include <string>

namespace warden::eval {
namespace {

// Reference values of MurmurHash3_x86_32 (seed 0) from Appleby's SMHasher
// implementation, as also used by github.com/twmb/murmur3 (flagd).
TEST(Murmur3Test, KnownVectors) {
  EXPECT_EQ(Murmur3X86_32(""), 0u);
  EXPECT_EQ(Murmur3X86_32("", 1), 0x514e28b7u);
  EXPECT_EQ(Murmur3X86_32("hello"), 0x248bfa47u);
  EXPECT_EQ(Murmur3X86_32("The quick brown fox jumps over the lazy dog"),
            0x2e4ff723u);
}

TEST(Murmur3Test, IncrementalEqualsOneShot) {
  std::string text = "headerColorrachel@faas.com-and-some-more";
  for (size_t split = 0; split <= text.size(); ++split) {
    for (size_t split2 = split; split2 <= text.size(); ++split2) {
      Murmur3Hasher h;
      h.Update(std::string_view(text).substr(0, split));
      h.Update(std::string_view(text).substr(split, split2 - split));
      h.Update(std::string_view(text).substr(split2));
      ASSERT_EQ(h.Finish(), Murmur3X86_32(text)) << split << "," << split2;
    }
  }
}

TEST(Murmur3Test, FractionalBucketMapsHashRangeOntoWeights) {
  EXPECT_EQ(FractionalBucket(0, 100), 0u);
  EXPECT_EQ(FractionalBucket(0xffffffffu, 100), 99u);
  EXPECT_EQ(FractionalBucket(0x80000000u, 100), 50u);
  EXPECT_EQ(FractionalBucket(0x40000000u, 4), 1u);
}

}  // namespace
}  // namespace warden::eval
