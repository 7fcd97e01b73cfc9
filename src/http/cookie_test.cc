#include "http/cookie.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(CookieTest, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(FindCookie("a=1; warden_session=wss_x; b=2", "warden_session"),
            "wss_x");
  EXPECT_EQ(FindCookie("warden_session=v", "warden_session"), "v");
  EXPECT_EQ(FindCookie(" warden_session = v ;", "warden_session"), "v");
  EXPECT_EQ(FindCookie("warden_session=\"v\"", "warden_session"), "v");
  EXPECT_EQ(FindCookie("x=1;warden_session=first;warden_session=second",
                       "warden_session"),
            "first");
}

TEST(CookieTest, AbsentMalformedAndPrefixNamesGiveEmpty) {
  EXPECT_EQ(FindCookie("", "warden_session"), "");
  EXPECT_EQ(FindCookie("warden_session", "warden_session"), "");
  EXPECT_EQ(
      FindCookie("xwarden_session=v; warden_sessionx=w", "warden_session"), "");
  EXPECT_EQ(FindCookie(";;; =; =v", "warden_session"), "");
}

}  // namespace
}  // namespace warden
