#include "secrets/envelope.h"

#include <gtest/gtest.h>

namespace warden::secrets {
namespace {

TEST(EnvelopeTest, SealOpenRoundTripWithoutPlaintextInOutput) {
  const KeyEncryptionKey kek = KeyEncryptionKey::Generate();
  const std::string aad = SecretAad("s1", 1);
  auto sealed = Seal(kek, "vendor-api-key-123", aad);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->ciphertext.find("vendor-api-key"), std::string::npos);
  EXPECT_EQ(sealed->nonce.size(), 24u);
  EXPECT_EQ(sealed->kek_id, kek.key_id());
  auto opened = Open(kek, *sealed, aad);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "vendor-api-key-123");
}

TEST(EnvelopeTest, AadBindsIdAndVersion) {
  const KeyEncryptionKey kek = KeyEncryptionKey::Generate();
  auto sealed = Seal(kek, "v", SecretAad("s1", 1));
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(Open(kek, *sealed, SecretAad("s1", 2)).status().problem(),
            "secret-corrupt");
  EXPECT_EQ(Open(kek, *sealed, SecretAad("s2", 1)).status().problem(),
            "secret-corrupt");
}

TEST(EnvelopeTest, TamperedCiphertextAndWrongKekAreRefused) {
  const KeyEncryptionKey kek = KeyEncryptionKey::Generate();
  const std::string aad = SecretAad("s1", 1);
  auto sealed = Seal(kek, "value", aad);
  ASSERT_TRUE(sealed.ok());
  SealedValue tampered = *sealed;
  tampered.ciphertext[0] ^= 1;
  EXPECT_EQ(Open(kek, tampered, aad).status().problem(), "secret-corrupt");
  const KeyEncryptionKey other = KeyEncryptionKey::Generate();
  EXPECT_EQ(Open(other, *sealed, aad).status().problem(), "wrong-kek");
}

TEST(EnvelopeTest, RewrapKeepsCiphertextAndChangesKek) {
  const KeyEncryptionKey old_kek = KeyEncryptionKey::Generate();
  const KeyEncryptionKey new_kek = KeyEncryptionKey::Generate();
  const std::string aad = SecretAad("s1", 3);
  auto sealed = Seal(old_kek, "legacy-password", aad);
  ASSERT_TRUE(sealed.ok());
  auto rewrapped = Rewrap(old_kek, new_kek, *sealed, aad);
  ASSERT_TRUE(rewrapped.ok());
  EXPECT_EQ(rewrapped->ciphertext, sealed->ciphertext);
  EXPECT_EQ(rewrapped->nonce, sealed->nonce);
  EXPECT_NE(rewrapped->wrapped_key, sealed->wrapped_key);
  EXPECT_EQ(rewrapped->kek_id, new_kek.key_id());
  EXPECT_EQ(*Open(new_kek, *rewrapped, aad), "legacy-password");
  EXPECT_FALSE(Open(old_kek, *rewrapped, aad).ok());
}

TEST(EnvelopeTest, LimitsAndKekParsing) {
  const KeyEncryptionKey kek = KeyEncryptionKey::Generate();
  EXPECT_EQ(
      Seal(kek, std::string(kMaxSecretBytes + 1, 'x'), "a").status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_FALSE(KeyEncryptionKey::FromBytes("short").ok());
  EXPECT_FALSE(KeyEncryptionKey::FromBase64Url("!!!").ok());
  auto parsed = KeyEncryptionKey::FromBase64Url(
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(static_cast<unsigned char>(parsed->bytes()[31]), 31);
}

}  // namespace
}  // namespace warden::secrets
