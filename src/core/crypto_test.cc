#include "core/crypto.h"

#include <gtest/gtest.h>

#include "core/audit_record.h"
#include "core/id.h"

namespace warden {
namespace {

TEST(Crypto, Sha256KnownVector) {
  ASSERT_TRUE(InitCrypto().ok());
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, Base64UrlRoundTrip) {
  std::string bytes = RandomBytes(33);
  auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, bytes);
  EXPECT_FALSE(Base64UrlDecode("ab+/").ok());
  EXPECT_FALSE(Base64UrlDecode("a").ok());
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secrets"));
}

TEST(Id, IsTimeOrderedUuidV7) {
  ManualClock clock(FromMicros(1'700'000'000'000'000));
  std::string a = NewId(clock.Now());
  clock.Advance(std::chrono::milliseconds(1));
  std::string b = NewId(clock.Now());
  EXPECT_TRUE(IsWellFormedId(a));
  EXPECT_EQ(a[14], '7');
  EXPECT_LT(a, b);
  EXPECT_FALSE(IsWellFormedId("not-an-id"));
}

TEST(AuditRecord, EncodingIsUnambiguous) {
  AuditEvent a{FromMicros(1), "ab", "c", "t", "ok", "{}"};
  AuditEvent b{FromMicros(1), "a", "bc", "t", "ok", "{}"};
  EXPECT_NE(AuditRecordHash(1, a, kAuditGenesisHash),
            AuditRecordHash(1, b, kAuditGenesisHash));
}

}  // namespace
}  // namespace warden
