// HMAC-SHA-256 as RFC 2104 defines it, written out over OpenSSL's SHA-256
// block functions: H((K ^ opad) || H((K ^ ipad) || m)), with K padded to the
// 64-byte block. The two pad blocks are hashed once per hasher and their
// states copied per record (a 112-byte struct copy), which is what makes a
// ~200-byte record cost five compressions instead of seven.
//
// OpenSSL 3 marks the SHA256_* functions deprecated in favour of EVP; EVP
// costs a context copy through a vtable and a provider lookup per record,
// measured at 0.6x the rate of these functions on 213-byte records (the
// verification path's whole budget). They remain part of OpenSSL 3's API.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/audit_link_hasher.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cassert>
#include <cstring>

namespace warden {
namespace {

constexpr size_t kBlockBytes = 64;

void ToHex(const unsigned char (&digest)[SHA256_DIGEST_LENGTH],
           AuditHexDigest& out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = kDigits[digest[i] >> 4];
    out[2 * i + 1] = kDigits[digest[i] & 0xf];
  }
}

}  // namespace

struct AuditLinkHasher::Pads {
  SHA256_CTX inner;
  SHA256_CTX outer;
};

AuditLinkHasher::AuditLinkHasher(const AuditChainKey* key) {
  encoding_.reserve(1024);
  if (key == nullptr) return;
  pads_ = std::make_unique<Pads>();
  unsigned char block[kBlockBytes] = {};
  std::memcpy(block, key->bytes().data(), key->bytes().size());
  for (unsigned char& b : block) b ^= 0x36;
  SHA256_Init(&pads_->inner);
  SHA256_Update(&pads_->inner, block, kBlockBytes);
  for (unsigned char& b : block) b ^= 0x36 ^ 0x5c;
  SHA256_Init(&pads_->outer);
  SHA256_Update(&pads_->outer, block, kBlockBytes);
  OPENSSL_cleanse(block, sizeof(block));
}

AuditLinkHasher::~AuditLinkHasher() {
  if (pads_) OPENSSL_cleanse(pads_.get(), sizeof(Pads));
}

bool AuditLinkHasher::CanHash(int format) const {
  if (format == static_cast<int>(AuditHashFormat::kSha256)) return true;
  return format == static_cast<int>(AuditHashFormat::kHmacSha256) &&
         pads_ != nullptr;
}

AuditHexDigest AuditLinkHasher::Hash(const AuditRecordView& record) {
  assert(CanHash(record.format));
  AppendCanonicalAuditEncoding(record, encoding_);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  if (record.format == static_cast<int>(AuditHashFormat::kHmacSha256)) {
    ctx = pads_->inner;
    SHA256_Update(&ctx, encoding_.data(), encoding_.size());
    SHA256_Final(digest, &ctx);
    ctx = pads_->outer;
    SHA256_Update(&ctx, digest, sizeof(digest));
    SHA256_Final(digest, &ctx);
  } else {
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, encoding_.data(), encoding_.size());
    SHA256_Final(digest, &ctx);
  }
  AuditHexDigest hex;
  ToHex(digest, hex);
  return hex;
}

std::string AuditLinkHash(const AuditChainKey* key, AuditHashFormat format,
                          int64_t sequence, const AuditEvent& event,
                          std::string_view prev_hash) {
  AuditRecordView view;
  view.sequence = sequence;
  view.time_us = ToMicros(event.time);
  view.actor = event.actor;
  view.action = event.action;
  view.target = event.target;
  view.outcome = event.outcome;
  view.details = event.details;
  view.prev_hash = prev_hash;
  view.format = static_cast<int>(format);
  AuditLinkHasher hasher(key);
  const AuditHexDigest hex = hasher.Hash(view);
  return std::string(hex.data(), hex.size());
}

}  // namespace warden
