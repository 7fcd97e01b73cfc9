// Custody of the key-encryption key (KEK) for the secret store.
//
// Sources, in order: env WARDEN_KEK (base64url of 32 bytes); else
// DIR/secrets.kek once the secret store's key has been rotated; else the
// data dir's shared DIR/kek (32 raw bytes, mode 0600; created by the server
// on first start). Rotation never rewrites DIR/kek, because the OAuth
// server also derives its signing-key sealing and client-secret pepper from
// it: the secret store moves to a key of its own instead.
//
// During a rotation the new key is first written to DIR/secrets.kek.next;
// once every data key is re-wrapped and committed, it replaces
// DIR/secrets.kek. A keyring loaded between those steps holds both, and the
// kek_id stored with each row picks the right one, so a crash in the middle
// loses nothing.
//
// Immutable after construction; thread-safe.
#ifndef WARDEN_CUSTODY_SECRET_KEYRING_H_
#define WARDEN_CUSTODY_SECRET_KEYRING_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "secrets/key_encryption_key.h"
#include "store/store.h"

namespace warden::custody {

// The data dir's shared key-encryption key (created by the server on first
// start, also used by OAuth key custody) and the secret store's own.
inline constexpr char kKekFileName[] = "kek";
inline constexpr char kSecretKekFileName[] = "secrets.kek";
inline constexpr char kNextKekFileName[] = "secrets.kek.next";

class SecretKeyring {
 public:
  explicit SecretKeyring(secrets::KeyEncryptionKey current,
                         std::optional<secrets::KeyEncryptionKey> other = {})
      : current_(std::move(current)), other_(std::move(other)) {}

  // Loads from WARDEN_KEK, DIR/secrets.kek or DIR/kek (+ the .next key
  // of an interrupted rotation), each through secrets::KeyEncryptionKeyFile.
  // kFailedPrecondition when the file is missing, has the wrong size or is
  // readable by group or others; kInvalidArgument for a bad WARDEN_KEK.
  static Result<SecretKeyring> Load(const std::string& data_dir);

  // The key new values are sealed with.
  const secrets::KeyEncryptionKey& current() const { return current_; }
  // The key whose key_id() is `kek_id`; kFailedPrecondition ("wrong-kek")
  // when neither key matches.
  Result<const secrets::KeyEncryptionKey*> Find(std::string_view kek_id) const;

 private:
  secrets::KeyEncryptionKey current_;
  std::optional<secrets::KeyEncryptionKey> other_;
};

// Offline KEK rotation of the data dir (`warden secret rotate-kek`): writes
// a fresh secrets.kek.next, re-wraps every data key in one transaction of
// `store` (ciphertexts untouched), then renames it to secrets.kek. Returns the
// number of re-wrapped versions. Refused when WARDEN_KEK is set (the
// operator rotates that key in their own custody).
Result<int64_t> RotateKeyEncryptionKey(Store& store,
                                       const std::string& data_dir);

}  // namespace warden::custody

#endif  // WARDEN_CUSTODY_SECRET_KEYRING_H_
