// libFuzzer target: what a console sign-in parses from untrusted input
// before any user is known: the Cookie header, TOTP codes and base32 keys,
// and (from the store, but still text) sealed TOTP keys.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/cookie.h"
#include "secrets/key_encryption_key.h"
#include "signin/session_secret.h"
#include "signin/totp.h"
#include "signin/totp_key_sealer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string_view cookie =
      warden::FindCookie(text, warden::signin::kSessionCookieName);
  (void)warden::signin::IsPlausibleSessionCookie(cookie);
  (void)warden::signin::Base32Decode(text);
  (void)warden::signin::VerifyTotp("12345678901234567890", text,
                                   warden::FromMicros(1'800'000'000'000'000),
                                   0);
  static const warden::secrets::KeyEncryptionKey kek =
      warden::secrets::KeyEncryptionKey::Generate();
  static const warden::signin::TotpKeySealer sealer(kek);
  (void)sealer.Open("ann", text);
  return 0;
}
