#include "core/time_format.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(TimeFormat, RoundTripsWholeSeconds) {
  auto t = ParseRfc3339("2026-11-23T22:01:18Z");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatRfc3339(*t), "2026-11-23T22:01:18Z");
  EXPECT_EQ(ToUnixSeconds(*t), 1795471278);
}

TEST(TimeFormat, KeepsMicroseconds) {
  auto t = ParseRfc3339("2026-01-02T03:04:05.123456789Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRfc3339(*t), "2026-01-02T03:04:05.123456Z");
}

TEST(TimeFormat, AppliesOffsets) {
  auto t = ParseRfc3339("2026-01-02T03:04:05+02:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRfc3339(*t), "2026-01-02T01:04:05Z");
  auto u = ParseRfc3339("2026-01-02t03:04:05-00:30");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(FormatRfc3339(*u), "2026-01-02T03:34:05Z");
}

TEST(TimeFormat, RejectsMalformed) {
  for (const char* bad :
       {"", "2026-11-23", "2026-11-23T22:01:18", "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T22:01:18Zx",
        "2026-11-23T22:01:18.Z", "2026-11-23 22:01:18Z", "x026-11-23T22:01:18Z",
        "2026-11-23T22:01:18+2:00"}) {
    auto t = ParseRfc3339(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

// Found by core_time_fuzzer (fuzz/regressions/core_time_fuzzer): an offset
// moved year 0000 to year -1, which formatted as "-001-..." and did not
// parse back.
TEST(TimeFormat, Fuzz1OffsetBeyondYearZeroIsRefused) {
  EXPECT_FALSE(ParseRfc3339("0000-01-01T02:01:16+07:00").ok());
  EXPECT_FALSE(ParseRfc3339("9999-12-31T23:00:00-02:00").ok());
  auto edge = ParseRfc3339("0000-01-01T02:01:16+02:00");
  ASSERT_TRUE(edge.ok());
  EXPECT_EQ(FormatRfc3339(*edge), "0000-01-01T00:01:16Z");
}

TEST(Duration, ParsesUnits) {
  EXPECT_EQ(ParseDuration("90s")->count(), 90);
  EXPECT_EQ(ParseDuration("15m")->count(), 900);
  EXPECT_EQ(ParseDuration("2h")->count(), 7200);
  EXPECT_EQ(ParseDuration("30d")->count(), 30 * 86400);
  for (const char* bad :
       {"", "s", "10", "-5m", "0s", "5w", "1.5h", "99999999999d"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace warden
