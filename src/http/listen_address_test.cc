#include "http/listen_address.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(ListenAddressTest, ParsesIpv4AndPortZero) {
  auto endpoint = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ(endpoint->port(), 0);
  EXPECT_EQ(endpoint->address().to_string(), "127.0.0.1");
}

TEST(ListenAddressTest, ParsesBracketedIpv6AndLocalhost) {
  auto v6 = ParseListenAddress("[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6->address().is_v6());
  auto local = ParseListenAddress("localhost:9");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->address().to_string(), "127.0.0.1");
}

TEST(ListenAddressTest, RejectsBadInputWithClearErrors) {
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000",
                          "127.0.0.1:8x", "example.com:80", ":80"}) {
    auto endpoint = ParseListenAddress(bad);
    ASSERT_FALSE(endpoint.ok()) << bad;
    EXPECT_EQ(endpoint.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(endpoint.status().message().find("listen address"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace warden
