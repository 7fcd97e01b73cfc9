#include "core/audit_link_hasher.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "core/crypto.h"

namespace warden {
namespace {

AuditRecord SampleRecord(AuditHashFormat format) {
  AuditRecord record;
  record.sequence = 42;
  record.event.time = FromMicros(1'800'000'000'123'456);
  record.event.actor = "alice";
  record.event.action = "identity.create";
  record.event.target = "identity/01J";
  record.event.outcome = "ok";
  record.event.details = R"({"name":"svc"})";
  record.prev_hash = std::string(64, 'a');
  record.format = format;
  return record;
}

std::string Hex(const AuditHexDigest& digest) {
  return std::string(digest.data(), digest.size());
}

AuditChainKey FixedKey(char fill) {
  return AuditChainKey::FromBytes(std::string(AuditChainKey::kBytes, fill))
      .value();
}

TEST(AuditLinkHasherTest, FormatOneIsSha256OfTheV1Encoding) {
  const AuditRecord record = SampleRecord(AuditHashFormat::kSha256);
  AuditLinkHasher hasher(nullptr);
  const std::string encoding =
      CanonicalAuditEncoding(record.sequence, record.event, record.prev_hash);
  EXPECT_EQ(encoding.rfind("warden-audit-v1;2:42;16:1800000000123456;", 0), 0u)
      << encoding;
  EXPECT_EQ(Hex(hasher.Hash(ViewOf(record))), Sha256Hex(encoding));
  EXPECT_EQ(hasher.last_encoding_size(), encoding.size());
  EXPECT_EQ(AuditRecordHash(record.sequence, record.event, record.prev_hash),
            Sha256Hex(encoding));
}

// Cross-checked against libsodium's HMAC-SHA-256: the hand-built pads must
// give exactly RFC 2104's HMAC.
TEST(AuditLinkHasherTest, FormatTwoIsHmacSha256OfTheV2Encoding) {
  const AuditChainKey key = AuditChainKey::Generate();
  const AuditRecord record = SampleRecord(AuditHashFormat::kHmacSha256);
  AuditLinkHasher hasher(&key);
  std::string encoding;
  AppendCanonicalAuditEncoding(ViewOf(record), encoding);
  ASSERT_EQ(encoding.rfind("warden-audit-v2;", 0), 0u);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.bytes().data(), key.bytes().size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(encoding.data()),
      encoding.size());
  crypto_auth_hmacsha256_final(&state, mac);
  EXPECT_EQ(Hex(hasher.Hash(ViewOf(record))), HexEncode(mac, sizeof(mac)));
  // Reusing the hasher (and its buffer) gives the same answer.
  EXPECT_EQ(Hex(hasher.Hash(ViewOf(record))), HexEncode(mac, sizeof(mac)));
  EXPECT_EQ(AuditLinkHash(&key, AuditHashFormat::kHmacSha256, record.sequence,
                          record.event, record.prev_hash),
            HexEncode(mac, sizeof(mac)));
}

TEST(AuditLinkHasherTest, KeyAndFormatBothChangeTheHash) {
  const AuditChainKey a = FixedKey('a');
  const AuditChainKey b = FixedKey('b');
  const AuditRecord record = SampleRecord(AuditHashFormat::kHmacSha256);
  AuditLinkHasher with_a(&a);
  AuditLinkHasher with_b(&b);
  EXPECT_NE(Hex(with_a.Hash(ViewOf(record))), Hex(with_b.Hash(ViewOf(record))));
  AuditRecord unkeyed = record;
  unkeyed.format = AuditHashFormat::kSha256;
  EXPECT_NE(Hex(with_a.Hash(ViewOf(record))),
            Hex(with_a.Hash(ViewOf(unkeyed))));
}

TEST(AuditLinkHasherTest, WithoutAKeyOnlyFormatOneCanBeHashed) {
  AuditLinkHasher unkeyed(nullptr);
  EXPECT_TRUE(unkeyed.CanHash(1));
  EXPECT_FALSE(unkeyed.CanHash(2));
  EXPECT_FALSE(unkeyed.CanHash(3));
  const AuditChainKey key = FixedKey('k');
  AuditLinkHasher keyed(&key);
  EXPECT_TRUE(keyed.CanHash(2));
  EXPECT_FALSE(keyed.CanHash(0));
}

TEST(AuditChainKeyTest, IdNamesTheKeyWithoutRevealingIt) {
  const AuditChainKey a = FixedKey('a');
  EXPECT_EQ(a.id().size(), 16u);
  EXPECT_EQ(a.id(), FixedKey('a').id());
  EXPECT_NE(a.id(), FixedKey('b').id());
  EXPECT_EQ(AuditChainKey::FromBytes("short").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace warden
