// Time-based one-time passwords, RFC 6238 with the parameters every
// authenticator app uses by default: HMAC-SHA-1 (RFC 4226), 30-second
// steps from the Unix epoch, 6 digits; keys of 20 random bytes, shown to
// the user as RFC 4648 base32 in an otpauth:// URI.
//
// Verification accepts the current step and one on either side (clock
// drift), and never a step at or before the last one accepted for the
// same key (RFC 6238 section 5.2: a code is good once).
//
// Pure functions; thread-safe.
#ifndef WARDEN_SIGNIN_TOTP_H_
#define WARDEN_SIGNIN_TOTP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace warden::signin {

inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
inline constexpr size_t kTotpKeyBytes = 20;

// RFC 4648 section 6, upper case, without padding.
std::string Base32Encode(std::string_view bytes);
// Accepts lower case, spaces and padding; kInvalidArgument otherwise.
Result<std::string> Base32Decode(std::string_view text);

// The step a time falls in.
int64_t TotpStep(Timestamp at);

// The code of `key` at `step`, zero-padded to kTotpDigits.
std::string TotpCode(std::string_view key, int64_t step);

// The step `code` matches within one step of `now`, later than
// `last_step`; nullopt otherwise (malformed codes included). Compares in
// constant time.
std::optional<int64_t> VerifyTotp(std::string_view key, std::string_view code,
                                  Timestamp now, int64_t last_step);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&
// digits=6&period=30 (the Key Uri Format authenticator apps read).
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view key);

}  // namespace warden::signin

#endif  // WARDEN_SIGNIN_TOTP_H_
