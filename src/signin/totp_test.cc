#include "signin/totp.h"

#include <gtest/gtest.h>

#include "signin/password_hash.h"
#include "signin/session_secret.h"

namespace warden::signin {
namespace {

// RFC 6238 appendix B, SHA-1 rows, truncated to six digits (the RFC
// prints eight; six are the same value modulo 10^6).
TEST(TotpTest, MatchesTheRfc6238Vectors) {
  const std::string key = "12345678901234567890";
  const struct {
    int64_t unix_seconds;
    const char* code;
  } vectors[] = {{59, "287082"},         {1111111109, "081804"},
                 {1111111111, "050471"}, {1234567890, "005924"},
                 {2000000000, "279037"}, {20000000000, "353130"}};
  for (const auto& v : vectors) {
    const Timestamp at = FromMicros(v.unix_seconds * 1'000'000);
    EXPECT_EQ(TotpCode(key, TotpStep(at)), v.code) << v.unix_seconds;
  }
}

TEST(TotpTest, AcceptsOneStepOfDriftAndEachStepOnce) {
  const std::string key = "12345678901234567890";
  const Timestamp now = FromMicros(1'111'111'111'000'000);
  const int64_t step = TotpStep(now);
  EXPECT_EQ(VerifyTotp(key, TotpCode(key, step), now, 0), step);
  EXPECT_EQ(VerifyTotp(key, TotpCode(key, step - 1), now, 0), step - 1);
  EXPECT_EQ(VerifyTotp(key, TotpCode(key, step + 1), now, 0), step + 1);
  EXPECT_EQ(VerifyTotp(key, TotpCode(key, step - 2), now, 0), std::nullopt);
  // Replay: a step at or before the last accepted one is refused.
  EXPECT_EQ(VerifyTotp(key, TotpCode(key, step), now, step), std::nullopt);
  EXPECT_EQ(VerifyTotp(key, "12345", now, 0), std::nullopt);
  EXPECT_EQ(VerifyTotp(key, "abcdef", now, 0), std::nullopt);
}

TEST(TotpTest, Base32RoundTripsAndMatchesRfc4648) {
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Decode("mzxw6ytboi======").value(), "foobar");
  EXPECT_EQ(Base32Decode("MZXW 6YTB OI").value(), "foobar");
  EXPECT_FALSE(Base32Decode("MZ1W").ok());
  const std::string key(20, '\x9c');
  EXPECT_EQ(Base32Decode(Base32Encode(key)).value(), key);
}

TEST(TotpTest, OtpauthUriEscapesTheAccount) {
  EXPECT_EQ(OtpauthUri("Warden", "ann lee", "foobar"),
            "otpauth://totp/Warden:ann%20lee?secret=MZXW6YTBOI&issuer=Warden"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(PasswordHashTest, VerifiesOnlyTheRightPassword) {
  Result<std::string> hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("", "anything at all"));
  EXPECT_FALSE(VerifyPassword("not a hash", "anything at all"));
}

TEST(PasswordHashTest, PolicyRefusesShortLongAndNameEqualPasswords) {
  EXPECT_TRUE(CheckPasswordPolicy("ann", "long enough pass").ok());
  EXPECT_EQ(CheckPasswordPolicy("ann", "short").problem(), "weak-password");
  EXPECT_EQ(CheckPasswordPolicy("ann", std::string(2000, 'x')).problem(),
            "weak-password");
  EXPECT_EQ(CheckPasswordPolicy("averylongname", "averylongname").problem(),
            "weak-password");
}

TEST(SessionSecretTest, CookieShapeCsrfAndHeaders) {
  const std::string cookie = NewSessionCookieValue();
  EXPECT_TRUE(IsPlausibleSessionCookie(cookie));
  EXPECT_FALSE(IsPlausibleSessionCookie(cookie + "x"));
  EXPECT_FALSE(IsPlausibleSessionCookie(""));
  EXPECT_NE(CsrfTokenFor(cookie), CsrfTokenFor(NewSessionCookieValue()));
  EXPECT_EQ(CsrfTokenFor(cookie), CsrfTokenFor(cookie));
  EXPECT_EQ(SessionCookieHeader("v", std::chrono::seconds(60), true),
            "warden_session=v; Path=/; HttpOnly; SameSite=Strict; Secure; "
            "Max-Age=60");
  EXPECT_EQ(ClearedSessionCookieHeader(false),
            "warden_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

}  // namespace
}  // namespace warden::signin
