#include "http/request_id.h"

#include <cstring>

#include "core/crypto.h"

namespace warden {
namespace {

constexpr uint64_t kVersionMask = 0xffffffffffff0fffull;  // bits 48..51
constexpr uint64_t kVersion8 = 0x0000000000008000ull;
constexpr uint64_t kSequenceMask = 0x3fffffffffffffffull;  // 62 bits
constexpr uint64_t kVariant10 = 0x8000000000000000ull;

uint64_t WithVersion(uint64_t prefix) {
  return (prefix & kVersionMask) | kVersion8;
}

uint64_t RandomPrefix() {
  const std::string bytes = RandomBytes(sizeof(uint64_t));
  uint64_t prefix = 0;
  std::memcpy(&prefix, bytes.data(), sizeof prefix);
  return prefix;
}

// Writes `digits` lower-case hex digits of v's low bits, most significant
// first.
char* PutHex(char* out, uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHex[v & 0xf];
    v >>= 4;
  }
  return out + digits;
}

}  // namespace

RequestIdGenerator::RequestIdGenerator()
    : RequestIdGenerator(RandomPrefix(), 0) {}

RequestIdGenerator::RequestIdGenerator(uint64_t prefix, uint64_t first)
    : prefix_(WithVersion(prefix)), sequence_(first) {}

std::string RequestIdGenerator::Next() {
  const uint64_t low =
      kVariant10 |
      (sequence_.fetch_add(1, std::memory_order_relaxed) & kSequenceMask);
  std::string id(36, '-');
  char* p = id.data();
  p = PutHex(p, prefix_ >> 32, 8) + 1;
  p = PutHex(p, prefix_ >> 16, 4) + 1;
  p = PutHex(p, prefix_, 4) + 1;
  p = PutHex(p, low >> 48, 4) + 1;
  PutHex(p, low, 12);
  return id;
}

bool IsWellFormedRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxClientRequestIdLength) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace warden
