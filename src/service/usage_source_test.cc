#include "service/usage_source.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(UsageSourceTest, ReducesAddressesToTheirNetwork) {
  EXPECT_EQ(SourceNetworkOf("203.0.113.77:5443"), "203.0.113.0/24");
  EXPECT_EQ(SourceNetworkOf("[2001:db8:1:2:3::9]:443"), "2001:db8:1:2::/64");
  EXPECT_EQ(SourceNetworkOf("10.1.2.3"), "10.1.2.0/24");
  EXPECT_EQ(SourceNetworkOf("not-an-address:1"), "");
  EXPECT_EQ(SourceNetworkOf(""), "");
}

TEST(UsageSourceTest, CidrContainsNetworksAndAddresses) {
  std::optional<Cidr> office = ParseCidr("192.168.0.0/16");
  ASSERT_TRUE(office.has_value());
  EXPECT_TRUE(CidrContains(*office, "192.168.44.0/24"));
  EXPECT_TRUE(CidrContains(*office, "192.168.1.9"));
  EXPECT_FALSE(CidrContains(*office, "192.169.0.0/24"));
  EXPECT_FALSE(CidrContains(*office, "2001:db8::/64"));
  std::optional<Cidr> v6 = ParseCidr("2001:db8::/32");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(CidrContains(*v6, "2001:db8:1:2::/64"));
}

TEST(UsageSourceTest, RejectsMalformedCidrs) {
  EXPECT_FALSE(ParseCidr("10.0.0.0").has_value());
  EXPECT_FALSE(ParseCidr("10.0.0.0/33").has_value());
  EXPECT_FALSE(ParseCidr("10.0.0.0/-1").has_value());
  EXPECT_FALSE(ParseCidr("10.0.0.0/8x").has_value());
  EXPECT_FALSE(ParseCidr("nowhere/8").has_value());
}

TEST(UsageSourceTest, UseTimeIsUtcHourAndWeekday) {
  // 2026-12-07 is a Monday.
  const Timestamp monday_14h =
      std::chrono::sys_days(std::chrono::year{2026} / 12 / 7) +
      std::chrono::hours(14) + std::chrono::minutes(30);
  UseTime t = UseTimeOf(monday_14h);
  EXPECT_EQ(t.hour, 14);
  EXPECT_EQ(t.weekday, 1);
}

}  // namespace
}  // namespace warden
