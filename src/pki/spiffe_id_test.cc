#include "pki/spiffe_id.h"

#include <gtest/gtest.h>

#include <string>

namespace warden::pki {
namespace {

TEST(SpiffeIdTest, AcceptsWellFormedIds) {
  auto id = ParseSpiffeId("spiffe://prod.example-1_x/ns/payments/sa/api.v2");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->trust_domain, "prod.example-1_x");
  EXPECT_EQ(id->path, "/ns/payments/sa/api.v2");
  EXPECT_EQ(id->ToString(), "spiffe://prod.example-1_x/ns/payments/sa/api.v2");
}

TEST(SpiffeIdTest, RefusesEveryBrokenRule) {
  const char* bad[] = {
      "",
      "http://example.org/a",
      "SPIFFE://example.org/a",
      "spiffe://Example.org/a",       // upper-case trust domain
      "spiffe://example.org:8080/a",  // port
      "spiffe://user@example.org/a",  // userinfo
      "spiffe:///a",                  // empty trust domain
      "spiffe://example.org",         // no path
      "spiffe://example.org/",        // trailing slash
      "spiffe://example.org/a//b",    // empty segment
      "spiffe://example.org/a/./b",   // dot segment
      "spiffe://example.org/a/..",    // dot-dot segment
      "spiffe://example.org/a?x=1",   // query
      "spiffe://example.org/a#frag",  // fragment
      "spiffe://example.org/a%20b",   // percent encoding
      "spiffe://example.org/a,b",     // comma
  };
  for (const char* text : bad) {
    auto id = ParseSpiffeId(text);
    EXPECT_FALSE(id.ok()) << text;
    if (!id.ok()) {
      EXPECT_EQ(id.status().problem(), "invalid-spiffe-id");
    }
  }
}

TEST(SpiffeIdTest, BoundsLengthAt2048Bytes) {
  const std::string prefix = "spiffe://example.org/";
  std::string fits =
      prefix + std::string(kMaxSpiffeIdLength - prefix.size(), 'a');
  EXPECT_TRUE(ParseSpiffeId(fits).ok());
  EXPECT_FALSE(ParseSpiffeId(fits + "a").ok());
}

TEST(SpiffeIdTest, WorkloadIdsRoundTrip) {
  const std::string id = WorkloadSpiffeId("example.org", "production", "api");
  EXPECT_EQ(id, "spiffe://example.org/ns/production/sa/api");
  auto parsed = ParseWorkloadSpiffeId(id, "example.org");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->environment, "production");
  EXPECT_EQ(parsed->name, "api");
  EXPECT_FALSE(ParseWorkloadSpiffeId(id, "example.com"));
  EXPECT_FALSE(
      ParseWorkloadSpiffeId("spiffe://example.org/ns//sa/api", "example.org"));
  EXPECT_FALSE(
      ParseWorkloadSpiffeId("spiffe://example.org/ns/p/sa/a/b", "example.org"));
  EXPECT_FALSE(ParseWorkloadSpiffeId("0192f6a4-7b1c-7000-8000-00000000abcd",
                                     "example.org"));
}

}  // namespace
}  // namespace warden::pki
