// Users' console passwords: Argon2id (libsodium crypto_pwhash_str, its
// "interactive" cost: 64 MiB, 2 passes), the policy a new password must
// meet, and a verification of the same cost for a user who has no
// password, so that timing does not tell which users exist.
//
// Pure functions over libsodium; thread-safe. Passwords are never logged
// or put in a Status message.
#ifndef WARDEN_SIGNIN_PASSWORD_HASH_H_
#define WARDEN_SIGNIN_PASSWORD_HASH_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::signin {

// NIST SP 800-63B 5.1.1.2: at least 8 characters when chosen by a person;
// Warden asks for 12. The upper bound keeps hashing cheap to bound.
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 1024;

// kInvalidArgument ("weak-password") naming the rule that failed: too
// short, too long, or equal to the user name.
Status CheckPasswordPolicy(std::string_view user, std::string_view password);

// The crypto_pwhash_str text of `password`; kInternal when out of memory.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash`. An empty or malformed `hash`
// (a user without a password) costs the same as a real one and is false.
bool VerifyPassword(std::string_view hash, std::string_view password);

}  // namespace warden::signin

#endif  // WARDEN_SIGNIN_PASSWORD_HASH_H_
