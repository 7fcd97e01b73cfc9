#include "discovery/json_element_lines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace warden::discovery {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(JsonElementLinesTest, TopLevelArray) {
  EXPECT_THAT(JsonArrayElementLines("[1,\n 22,\n\n \"a]\\\"\",\n {\"x\": [1,\n"
                                    "2]}, null]",
                                    ""),
              ElementsAre(1, 2, 4, 5, 6));
}

TEST(JsonElementLinesTest, ArrayUnderAMember) {
  const char* text =
      "{\"note\": \"grants\",\n \"other\": [1, 2],\n \"grants\": [\n"
      "  {\"grants\": [9]},\n  {}\n]}";
  EXPECT_THAT(JsonArrayElementLines(text, "grants"), ElementsAre(4, 5));
  EXPECT_THAT(JsonArrayElementLines(text, "missing"), IsEmpty());
  EXPECT_THAT(JsonArrayElementLines(text, ""), IsEmpty());
}

TEST(JsonElementLinesTest, GarbageIsSafe) {
  EXPECT_THAT(JsonArrayElementLines("]]]}}\"", ""), IsEmpty());
  EXPECT_THAT(JsonArrayElementLines("[\"unterminated", ""), ElementsAre(1));
}

}  // namespace
}  // namespace warden::discovery
