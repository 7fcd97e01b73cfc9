// TOTP keys at rest: envelope-encrypted (secrets/envelope.h) under the
// process's key-encryption key, bound to the user by the associated data
// ("totp|<user>"), so a sealed key copied to another user's row fails to
// open. Stored as text: the sealed value's five parts, base64url, joined
// by '.'.
//
// Thread-safety: immutable after construction.
#ifndef WARDEN_SIGNIN_TOTP_KEY_SEALER_H_
#define WARDEN_SIGNIN_TOTP_KEY_SEALER_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "secrets/key_encryption_key.h"

namespace warden::signin {

class TotpKeySealer {
 public:
  explicit TotpKeySealer(const secrets::KeyEncryptionKey& kek) : kek_(kek) {}

  Result<std::string> Seal(std::string_view user, std::string_view key) const;
  // kInternal when the text is malformed or does not open for `user`.
  Result<std::string> Open(std::string_view user,
                           std::string_view sealed) const;

 private:
  const secrets::KeyEncryptionKey kek_;
};

}  // namespace warden::signin

#endif  // WARDEN_SIGNIN_TOTP_KEY_SEALER_H_
