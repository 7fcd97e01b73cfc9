#include "signin/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cctype>

#include "core/crypto.h"

namespace warden::signin {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int Base32Value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string Escaped(std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

Result<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;
    const int value = Base32Value(c);
    if (value < 0) return InvalidArgument("not base32 text");
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

int64_t TotpStep(Timestamp at) { return ToUnixSeconds(at) / kTotpStepSeconds; }

// RFC 4226 section 5.3: HMAC-SHA-1 over the big-endian counter, dynamic
// truncation, modulo 10^digits.
std::string TotpCode(std::string_view key, int64_t step) {
  std::array<unsigned char, 8> counter{};
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<unsigned char>(step & 0xff);
    step >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), counter.data(),
       counter.size(), mac, &mac_length);
  const int offset = mac[mac_length - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  std::string code = std::to_string(binary % 1'000'000);
  return std::string(kTotpDigits - code.size(), '0') + code;
}

std::optional<int64_t> VerifyTotp(std::string_view key, std::string_view code,
                                  Timestamp now, int64_t last_step) {
  if (code.size() != static_cast<size_t>(kTotpDigits)) return std::nullopt;
  const int64_t current = TotpStep(now);
  std::optional<int64_t> matched;
  // Every candidate is computed and compared, matched or not.
  for (int64_t step = current - 1; step <= current + 1; ++step) {
    const bool equal = ConstantTimeEquals(TotpCode(key, step), code);
    if (equal && step > last_step && !matched) matched = step;
  }
  return matched;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view key) {
  return "otpauth://totp/" + Escaped(issuer) + ":" + Escaped(account) +
         "?secret=" + Base32Encode(key) + "&issuer=" + Escaped(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace warden::signin
