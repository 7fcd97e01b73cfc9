#include "core/crypto.h"

#include <sodium.h>

namespace warden {

Status InitCrypto() {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  return Status::Ok();
}

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest digest;
  crypto_hash_sha256(digest.data(),
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return digest;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string HexEncode(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

std::string RandomBytes(size_t count) {
  std::string out(count, '\0');
  randombytes_buf(out.data(), count);
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  const size_t max = sodium_base64_encoded_len(
      bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(max, '\0');
  sodium_bin2base64(out.data(), max,
                    reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(max - 1);  // drop the terminating NUL
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(), nullptr, &len,
                        &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return InvalidArgument("invalid base64url text");
  }
  out.resize(len);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace warden
