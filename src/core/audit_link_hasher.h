// Computes audit link hashes (audit_record.h) of both formats, fast enough
// to verify a million records in a second or two: no allocation per record
// in steady state (one reused encoding buffer), OpenSSL's SHA-256 (which
// uses the CPU's SHA extensions where present), and the HMAC pads of the
// key hashed once per hasher rather than once per record.
//
// Thread safety: a hasher is used by one thread at a time (it owns the
// buffer); create one per thread. The key must outlive the hasher.
#ifndef WARDEN_CORE_AUDIT_LINK_HASHER_H_
#define WARDEN_CORE_AUDIT_LINK_HASHER_H_

#include <array>
#include <memory>
#include <string>

#include "core/audit_chain_key.h"
#include "core/audit_record.h"

namespace warden {

// 64 lowercase hex digits, as stored in the log.
using AuditHexDigest = std::array<char, 64>;

class AuditLinkHasher {
 public:
  // `key` may be null: then only format 1 can be hashed.
  explicit AuditLinkHasher(const AuditChainKey* key);
  ~AuditLinkHasher();
  AuditLinkHasher(const AuditLinkHasher&) = delete;
  AuditLinkHasher& operator=(const AuditLinkHasher&) = delete;

  // False for an unknown format, and for format 2 without a key.
  bool CanHash(int format) const;

  // The link hash of `record` in its own format (record.hash is ignored).
  // REQUIRES: CanHash(record.format).
  AuditHexDigest Hash(const AuditRecordView& record);

  // Size of the canonical encoding the last Hash() call hashed: the
  // "record bytes" of throughput figures.
  size_t last_encoding_size() const { return encoding_.size(); }

 private:
  struct Pads;  // SHA-256 states after the HMAC inner and outer pads

  std::unique_ptr<Pads> pads_;  // null without a key
  std::string encoding_;
};

// The link hash of an event about to be appended, as hex.
// REQUIRES: a key for kHmacSha256.
std::string AuditLinkHash(const AuditChainKey* key, AuditHashFormat format,
                          int64_t sequence, const AuditEvent& event,
                          std::string_view prev_hash);

}  // namespace warden

#endif  // WARDEN_CORE_AUDIT_LINK_HASHER_H_
