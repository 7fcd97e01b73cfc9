#include "core/audit_chain_key.h"

#include <sodium.h>

#include <cstring>

#include "core/crypto.h"

namespace warden {
namespace {

constexpr char kKeyIdLabel[] = "warden-audit-key-id";
constexpr size_t kKeyIdBytes = 8;

}  // namespace

AuditChainKey::AuditChainKey(std::string_view bytes) {
  std::memcpy(bytes_.data(), bytes.data(), kBytes);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_.data(), bytes_.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(kKeyIdLabel),
      sizeof(kKeyIdLabel) - 1);
  crypto_auth_hmacsha256_final(&state, mac);
  id_ = HexEncode(mac, kKeyIdBytes);
  sodium_memzero(&state, sizeof(state));
}

Result<AuditChainKey> AuditChainKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kBytes) {
    return InvalidArgument("audit key: expected " + std::to_string(kBytes) +
                           " bytes, found " + std::to_string(bytes.size()));
  }
  return AuditChainKey(bytes);
}

AuditChainKey AuditChainKey::Generate() {
  return AuditChainKey(RandomBytes(kBytes));
}

}  // namespace warden
