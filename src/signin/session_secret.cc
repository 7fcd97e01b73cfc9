#include "signin/session_secret.h"

#include <sodium.h>

#include "core/crypto.h"

namespace warden::signin {
namespace {

constexpr size_t kCookieSecretBytes = 32;
// "wss_" + 43 base64url characters.
constexpr size_t kCookieValueLength = 4 + 43;

std::string Attributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") +
         (secure ? "; Secure" : "");
}

}  // namespace

std::string NewSessionCookieValue() {
  return kSessionCookiePrefix +
         Base64UrlEncode(RandomBytes(kCookieSecretBytes));
}

bool IsPlausibleSessionCookie(std::string_view value) {
  return value.size() == kCookieValueLength &&
         value.starts_with(kSessionCookiePrefix);
}

std::string SessionIdHash(std::string_view cookie_value) {
  return Sha256Hex(cookie_value);
}

std::string CsrfTokenFor(std::string_view cookie_value) {
  constexpr std::string_view kLabel = "warden-csrf";
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(cookie_value.data()),
      cookie_value.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(kLabel.data()),
      kLabel.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

std::string SessionCookieHeader(std::string_view cookie_value,
                                std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookieName) + "=" + std::string(cookie_value) +
         Attributes(secure) + "; Max-Age=" + std::to_string(max_age.count());
}

std::string ClearedSessionCookieHeader(bool secure) {
  return std::string(kSessionCookieName) + "=" + Attributes(secure) +
         "; Max-Age=0";
}

}  // namespace warden::signin
