#include "eval/semver.h"

#include <gtest/gtest.h>

namespace warden::eval {
namespace {

int Cmp(const char* a, const char* b) {
  auto va = ParseSemVer(a);
  auto vb = ParseSemVer(b);
  EXPECT_TRUE(va.has_value()) << a;
  EXPECT_TRUE(vb.has_value()) << b;
  return CompareSemVer(*va, *vb);
}

TEST(SemVerTest, ParsesLikeGoSemver) {
  EXPECT_TRUE(ParseSemVer("1.2.3"));
  EXPECT_TRUE(ParseSemVer("v1.2.3-rc.1+build.5"));
  EXPECT_TRUE(ParseSemVer("v1"));
  EXPECT_TRUE(ParseSemVer("1.2"));
  EXPECT_TRUE(ParseSemVer("V1.2.3"));  // flagd strips "v" and "V"
  EXPECT_FALSE(ParseSemVer("vv1.2.3"));
  EXPECT_FALSE(ParseSemVer("1.2-rc1"));  // shorthand with prerelease
  EXPECT_FALSE(ParseSemVer("01.2.3"));
  EXPECT_FALSE(ParseSemVer("1.2.3.4"));
  EXPECT_FALSE(ParseSemVer("1.2.3-01"));
  EXPECT_FALSE(ParseSemVer(""));
  EXPECT_FALSE(ParseSemVer("x.y.z"));
}

TEST(SemVerTest, Precedence) {
  EXPECT_LT(Cmp("1.0.0", "2.0.0"), 0);
  EXPECT_LT(Cmp("1.9.0", "1.10.0"), 0);
  EXPECT_LT(Cmp("1.0.0-alpha", "1.0.0"), 0);
  EXPECT_LT(Cmp("1.0.0-alpha", "1.0.0-alpha.1"), 0);
  EXPECT_LT(Cmp("1.0.0-alpha.1", "1.0.0-alpha.beta"), 0);
  EXPECT_LT(Cmp("1.0.0-beta.2", "1.0.0-beta.11"), 0);
  EXPECT_EQ(Cmp("1.0.0+a", "1.0.0+b"), 0);
  EXPECT_EQ(Cmp("v1.2", "1.2.0"), 0);
  EXPECT_GT(Cmp("10.0.0", "9.99.99"), 0);
}

}  // namespace
}  // namespace warden::eval
