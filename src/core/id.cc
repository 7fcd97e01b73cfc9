#include "core/id.h"

#include <array>
#include <cstdint>

#include "core/crypto.h"

namespace warden {

std::string NewId(Timestamp now) {
  std::array<uint8_t, 16> b;
  std::string random = RandomBytes(10);
  const uint64_t ms = static_cast<uint64_t>(ToMicros(now) / 1000);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  for (int i = 0; i < 10; ++i) b[6 + i] = static_cast<uint8_t>(random[i]);
  b[6] = static_cast<uint8_t>(0x70 | (b[6] & 0x0f));  // version 7
  b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3f));  // variant 10
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
         "-" + hex.substr(16, 4) + "-" + hex.substr(20);
}

bool IsWellFormedId(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace warden
