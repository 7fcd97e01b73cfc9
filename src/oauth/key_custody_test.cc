#include "oauth/key_custody.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace warden::oauth {
namespace {

OAuthKeyCustody Custody(char fill) {
  Result<OAuthKeyCustody> custody =
      OAuthKeyCustody::Create(std::string(OAuthKeyCustody::kKeyBytes, fill));
  EXPECT_TRUE(custody.ok());
  return *custody;
}

TEST(OAuthKeyCustodyTest, SealedKeyOpensOnlyWithSameKekAndRow) {
  const OAuthKeyCustody custody = Custody('k');
  const std::string secret = "ed25519-seed-32-bytes-of-secret!";
  const std::string sealed = custody.Seal(secret, "kid-1");
  EXPECT_EQ(sealed.find(secret), std::string::npos);
  EXPECT_EQ(sealed.find(Base64UrlEncode(secret)), std::string::npos);
  Result<std::string> opened = custody.Open(sealed, "kid-1");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, secret);
  // Moved to another row, or under another kek: refused.
  EXPECT_FALSE(custody.Open(sealed, "kid-2").ok());
  EXPECT_FALSE(Custody('x').Open(sealed, "kid-1").ok());
  // Fresh nonce per seal.
  EXPECT_NE(custody.Seal(secret, "kid-1"), sealed);
}

TEST(OAuthKeyCustodyTest, TamperedOrMalformedBlobIsRefused) {
  const OAuthKeyCustody custody = Custody('k');
  std::string sealed = custody.Seal("payload", "kid");
  sealed[sealed.size() / 2] = sealed[sealed.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(custody.Open(sealed, "kid").ok());
  EXPECT_FALSE(custody.Open("", "kid").ok());
  EXPECT_FALSE(custody.Open("!!!", "kid").ok());
}

TEST(OAuthKeyCustodyTest, SecretHashIsPepperedAndStable) {
  const OAuthKeyCustody a = Custody('a');
  EXPECT_EQ(a.HashClientSecret("s"), a.HashClientSecret("s"));
  EXPECT_NE(a.HashClientSecret("s"), a.HashClientSecret("t"));
  EXPECT_NE(a.HashClientSecret("s"), Custody('b').HashClientSecret("s"));
  EXPECT_NE(a.HashClientSecret("s"), Sha256Hex("s"));
  EXPECT_FALSE(OAuthKeyCustody::Create("short").ok());
}

}  // namespace
}  // namespace warden::oauth
