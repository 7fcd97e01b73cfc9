#include "discovery/line_location_hash.h"

#include <gtest/gtest.h>

namespace warden::discovery {
namespace {

using Hashes = std::vector<std::string>;

// Expected values from github/codeql-action's own tests of the fingerprint
// it uploads (src/fingerprints.test.ts).
TEST(LineLocationHashTest, EmptyFile) {
  EXPECT_EQ(LineLocationHashes(""), (Hashes{"c129715d7a2bc9a3:1"}));
}

TEST(LineLocationHashTest, SkipsSpacesAndTabs) {
  EXPECT_EQ(LineLocationHashes(" a\nb\n  \t\tc\n d"),
            (Hashes{"271789c17abda88f:1", "54703d4cd895b18:1",
                    "180aee12dab6264:1", "a23a3dc5e078b07b:1"}));
}

TEST(LineLocationHashTest, AllLineEndingsHashAlike) {
  Hashes expected = {"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1",
                     "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
                     "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1",
                     "c129715d7a2bc9a3:1"};
  EXPECT_EQ(
      LineLocationHashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n"),
      expected);
  EXPECT_EQ(
      LineLocationHashes(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r"),
      expected);
  EXPECT_EQ(LineLocationHashes(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\t"
                               "Greetings\r\n End\r\n"),
            expected);
  EXPECT_EQ(LineLocationHashes(
                " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n"),
            expected);
}

TEST(LineLocationHashTest, NoFinalNewline) {
  EXPECT_EQ(
      LineLocationHashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End"),
      (Hashes{"8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1",
              "c6805c5e1288b612:1", "b86d3392aea1be30:1",
              "e6ceba753e1a442:1"}));
}

TEST(LineLocationHashTest, RepeatedLinesCountOccurrences) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "Lorem ipsum dolor sit amet.\n";
  EXPECT_EQ(
      LineLocationHashes(text),
      (Hashes{"a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3",
              "a7f2ff13bc495cf2:4", "a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6",
              "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1",
              "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"}));
}

TEST(LineLocationHashTest, StoppingEarlyGivesTheSameFingerprints) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += (i % 7 == 0 ? "same line\n" : "line " + std::to_string(i) + "\n");
  }
  Hashes full = LineLocationHashes(text);
  for (size_t last : {1u, 2u, 50u, 299u, 300u, 301u}) {
    Hashes partial = LineLocationHashes(text, last);
    ASSERT_GE(partial.size(), last);
    for (size_t i = 0; i < last; ++i) EXPECT_EQ(partial[i], full[i]) << i;
  }
}

TEST(LineLocationHashTest, InvalidUtf8DoesNotBreakLineCount) {
  EXPECT_EQ(LineLocationHashes("\xff\xfe\na\xe2\x82").size(), 2u);
}

}  // namespace
}  // namespace warden::discovery
