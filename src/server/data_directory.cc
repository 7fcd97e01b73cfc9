#include "server/data_directory.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/private_file.h"
#include "custody/secret_keyring.h"
#include "secrets/key_encryption_key_file.h"

namespace warden::server {
namespace {

Status PosixError(const std::string& path, std::string_view op, int err) {
  return Unavailable(std::string(op) + " " + path + ": " + std::strerror(err));
}

}  // namespace

std::string DataDirectory::File(std::string_view name) const {
  return (std::filesystem::path(path_) / std::string(name)).string();
}

Status DataDirectory::Prepare() const {
  if (path_.empty()) return InvalidArgument("data directory path is empty");
  std::error_code ec;
  if (std::filesystem::exists(path_, ec)) {
    if (!std::filesystem::is_directory(path_, ec)) {
      return InvalidArgument("data directory " + path_ +
                             " exists and is not a directory");
    }
    return TightenMode(path_, 0700);
  }
  std::filesystem::create_directories(path_, ec);
  if (ec)
    return Unavailable("create data directory " + path_ + ": " + ec.message());
  if (::chmod(path_.c_str(), 0700) != 0) {
    return PosixError(path_, "chmod", errno);
  }
  return Status::Ok();
}

// Sets `mode` when group or others have any access, with a warning naming
// the path and both modes.
Status DataDirectory::TightenMode(const std::string& path, mode_t mode) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return PosixError(path, "stat", errno);
  if ((info.st_mode & 077) == 0 || S_ISLNK(info.st_mode)) return Status::Ok();
  if (::chmod(path.c_str(), mode) != 0) return PosixError(path, "chmod", errno);
  std::fprintf(stderr, "warden: %s was mode %03o; set to %03o\n", path.c_str(),
               static_cast<unsigned>(info.st_mode & 0777),
               static_cast<unsigned>(mode));
  return Status::Ok();
}

Result<secrets::KeyEncryptionKey> DataDirectory::LoadKeyEncryptionKey() const {
  const secrets::KeyEncryptionKeyFile file(File(custody::kKekFileName));
  WARDEN_RETURN_IF_ERROR(file.EnsureExists());
  return file.Load();
}

Status DataDirectory::WriteSecretFile(std::string_view name,
                                      std::string_view contents) const {
  // O_NOFOLLOW: a symlink planted at admin.token must not receive the token.
  return WritePrivateFile(File(name), contents);
}

}  // namespace warden::server
