// The server's data directory: creation and the files kept beside the
// database. Paths in every error. Not thread-safe (used during start-up).
#ifndef WARDEN_SERVER_DATA_DIRECTORY_H_
#define WARDEN_SERVER_DATA_DIRECTORY_H_

#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/status.h"
#include "secrets/key_encryption_key.h"

namespace warden::server {

inline constexpr char kDatabaseFileName[] = "warden.db";
inline constexpr char kAdminTokenFileName[] = "admin.token";

class DataDirectory {
 public:
  explicit DataDirectory(std::string path) : path_(std::move(path)) {}

  // Creates the directory (and parents) with mode 0700 when absent;
  // kInvalidArgument when the path exists but is not a directory. An
  // existing directory looser than 0700 is set to 0700 with a warning on
  // stderr. Every file Warden creates in it is 0600 whatever the umask (the
  // database files: store/sqlite/database_files.h, which also tightens
  // them; key files are refused when loose, see their loaders).
  Status Prepare() const;
  // Creates `kek` with 32 random bytes (0600) when absent, even when
  // WARDEN_KEK is set, then loads the process's key-encryption key:
  // WARDEN_KEK when set, else `kek`, which is refused when group or others
  // may access it or its size is wrong (secrets/key_encryption_key_file.h).
  Result<secrets::KeyEncryptionKey> LoadKeyEncryptionKey() const;
  // Writes `contents` to the named file with mode 0600, replacing it in
  // place; never through a symlink.
  Status WriteSecretFile(std::string_view name,
                         std::string_view contents) const;

  std::string File(std::string_view name) const;
  const std::string& path() const { return path_; }

 private:
  static Status TightenMode(const std::string& path, mode_t mode);

  std::string path_;
};

}  // namespace warden::server

#endif  // WARDEN_SERVER_DATA_DIRECTORY_H_
