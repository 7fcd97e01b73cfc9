// BytesEqual/BytesEndsWith/BytesHash against the standard library, at every
// length around the 4, 8 and 16 byte load boundaries.
#include "eval/string_bytes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "eval/flat_string_map.h"

namespace warden::eval {
namespace {

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>('a' + i % 26);
  return s;
}

TEST(StringBytesTest, EqualMatchesStdAtEveryLengthAndDifferingByte) {
  for (size_t n = 0; n <= 40; ++n) {
    const std::string a = Text(n);
    EXPECT_TRUE(BytesEqual(a, std::string(a))) << n;
    EXPECT_FALSE(BytesEqual(a, a + "x")) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string b = a;
      b[i] = static_cast<char>(b[i] ^ 0x20);
      EXPECT_FALSE(BytesEqual(a, b)) << "length " << n << " byte " << i;
    }
  }
}

TEST(StringBytesTest, PrefixAndSuffix) {
  EXPECT_TRUE(BytesEndsWith("user9@corp.example", "@corp.example"));
  EXPECT_FALSE(BytesEndsWith("user9@mail.example", "@corp.example"));
  EXPECT_FALSE(BytesEndsWith("ple", "@corp.example"));
  EXPECT_TRUE(BytesEndsWith("abc", ""));
  EXPECT_TRUE(BytesStartsWith("tenant-42", "tenant-"));
  EXPECT_FALSE(BytesStartsWith("tenan", "tenant-"));
}

TEST(StringBytesTest, HashIsStableAndSpreadsKeys) {
  std::set<uint64_t> hashes;
  std::set<uint64_t> low_bits;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "tenant-" + std::to_string(i);
    EXPECT_EQ(BytesHash(key), BytesHash(std::string(key)));
    hashes.insert(BytesHash(key));
    low_bits.insert(BytesHash(key) & 2047);
  }
  EXPECT_EQ(hashes.size(), 1000u);
  EXPECT_GT(low_bits.size(), 700u);  // ~786 expected for a uniform hash
  EXPECT_NE(BytesHash(""), BytesHash(std::string_view("\0", 1)));
  EXPECT_NE(BytesHash(Text(17)), BytesHash(Text(18)));
}

TEST(StringBytesTest, FlatStringMapFindsEveryKeyAndNoOther) {
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i)
    keys.push_back(Text(static_cast<size_t>(i % 37)) + std::to_string(i));
  std::vector<std::pair<std::string_view, int>> entries;
  for (size_t i = 0; i < keys.size(); ++i)
    entries.emplace_back(keys[i], static_cast<int>(i));
  FlatStringMap<int> map;
  ASSERT_TRUE(map.Build(entries));
  for (size_t i = 0; i < keys.size(); ++i) {
    const int* v = map.Find(keys[i]);
    ASSERT_NE(v, nullptr) << keys[i];
    EXPECT_EQ(*v, static_cast<int>(i));
    EXPECT_EQ(map.Find(keys[i] + "!"), nullptr);
  }
  EXPECT_EQ(map.Find(""), nullptr);
}

}  // namespace
}  // namespace warden::eval
