#include "core/base64.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(Base64Test, RoundTripsWithPaddingAndTheStandardAlphabet) {
  EXPECT_EQ(Base64Encode(std::string(3, '\xff')), "////");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  Result<std::string> decoded = Base64Decode("YWI=");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "ab");
}

TEST(Base64Test, RefusesBase64UrlAndTrailingBytes) {
  EXPECT_FALSE(Base64Decode("-_-_").ok());
  EXPECT_FALSE(Base64Decode("YWI").ok());  // unpadded
  EXPECT_FALSE(Base64Decode("YWI= ").ok());
}

}  // namespace
}  // namespace warden
