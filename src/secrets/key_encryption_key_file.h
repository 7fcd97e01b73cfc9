// KeyEncryptionKeyFile: the one loader of a key-encryption key kept in a
// file of the data dir (DIR/kek, DIR/secrets.kek, DIR/secrets.kek.next), with
// the environment variable WARDEN_KEK as the operator's override.
//
// A key file holds exactly kKeyBytes raw bytes and is private to its owner:
// a file that group or others may access is refused, since its key must be
// treated as leaked ("chmod 600"). Files are created and written with mode
// 0600 whatever the umask, never through a planted symlink (O_NOFOLLOW).
//
// Every error names the path (or WARDEN_KEK) and never the key bytes: a
// file that cannot be read, is too loose or has the wrong size is
// kFailedPrecondition; WARDEN_KEK that is not base64url of 32 bytes is
// kInvalidArgument; a failed write is kUnavailable.
//
// Immutable value; thread-safe (each call opens the file anew). WARDEN_KEK
// is read with getenv, so nothing may setenv concurrently.
#ifndef WARDEN_SECRETS_KEY_ENCRYPTION_KEY_FILE_H_
#define WARDEN_SECRETS_KEY_ENCRYPTION_KEY_FILE_H_

#include <string>

#include "core/status.h"
#include "secrets/key_encryption_key.h"

namespace warden::secrets {

inline constexpr char kKekEnvironmentVariable[] = "WARDEN_KEK";

class KeyEncryptionKeyFile {
 public:
  explicit KeyEncryptionKeyFile(std::string path) : path_(std::move(path)) {}

  // True when WARDEN_KEK is set and non-empty: Load() then ignores the file.
  static bool EnvironmentOverrides();

  // The key from WARDEN_KEK (base64url, surrounding whitespace ignored) when
  // set, else Read().
  Result<KeyEncryptionKey> Load() const;
  // The key in the file; refused when the file is missing, readable by
  // group or others, or not exactly kKeyBytes long.
  Result<KeyEncryptionKey> Read() const;
  // Creates the file with a fresh random key (0600, O_EXCL, O_NOFOLLOW)
  // when nothing is at the path; leaves whatever is there alone (Read()
  // judges it). WARDEN_KEK does not matter here.
  Status EnsureExists() const;
  // Writes `key` to the file in place (0600 even over an existing file,
  // O_NOFOLLOW, fsync). Not atomic: a torn file fails Read()'s size check.
  Status Write(const KeyEncryptionKey& key) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace warden::secrets

#endif  // WARDEN_SECRETS_KEY_ENCRYPTION_KEY_FILE_H_
