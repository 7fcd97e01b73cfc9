// Small cryptographic primitives shared by every layer, on libsodium.
// All functions are thread-safe. InitCrypto() must run once before use
// (the application and test mains call it).
#ifndef WARDEN_CORE_CRYPTO_H_
#define WARDEN_CORE_CRYPTO_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden {

// Initialises libsodium; safe to call more than once. Returns kInternal if
// the library cannot initialise (no entropy source).
Status InitCrypto();

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

std::string HexEncode(const uint8_t* data, size_t size);
template <size_t N>
std::string HexEncode(const std::array<uint8_t, N>& bytes) {
  return HexEncode(bytes.data(), N);
}

// Cryptographically secure random bytes.
std::string RandomBytes(size_t count);

// URL-safe base64 without padding (RFC 4648 section 5).
std::string Base64UrlEncode(std::string_view bytes);
// Returns kInvalidArgument on characters outside the alphabet or bad length.
Result<std::string> Base64UrlDecode(std::string_view text);

// Compares two byte strings in time that depends only on their lengths,
// never on where they first differ. Different lengths compare unequal.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace warden

#endif  // WARDEN_CORE_CRYPTO_H_
