// The secret that keys the audit chain's link hashes (HMAC-SHA-256,
// audit_record.h format 2). It lives outside the database (DIR/audit.key,
// audit/audit_key_files.h), so write access to the database alone cannot
// forge a record or recompute the chain after an edit.
//
// Immutable after construction; thread-safe. Copying copies the secret.
#ifndef WARDEN_CORE_AUDIT_CHAIN_KEY_H_
#define WARDEN_CORE_AUDIT_CHAIN_KEY_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden {

class AuditChainKey {
 public:
  // 256 bits: HMAC-SHA-256's full strength (RFC 2104 section 3 recommends
  // at least the output length).
  static constexpr size_t kBytes = 32;

  // kInvalidArgument unless `bytes` is exactly kBytes long.
  static Result<AuditChainKey> FromBytes(std::string_view bytes);

  // A fresh random key.
  static AuditChainKey Generate();

  // Names the key without revealing it: the first 8 bytes, in hex, of
  // HMAC-SHA-256(key, "warden-audit-key-id"). Shown by `warden audit
  // verify` and in the chain's upgrade record.
  const std::string& id() const { return id_; }

  const std::array<uint8_t, kBytes>& bytes() const { return bytes_; }

 private:
  explicit AuditChainKey(std::string_view bytes);

  std::array<uint8_t, kBytes> bytes_{};
  std::string id_;
};

}  // namespace warden

#endif  // WARDEN_CORE_AUDIT_CHAIN_KEY_H_
