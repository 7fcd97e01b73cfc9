#include "server/data_directory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/crypto.h"

namespace warden::server {
namespace {

Status PosixError(const std::string& path, std::string_view op, int err) {
  return Unavailable(std::string(op) + " " + path + ": " + std::strerror(err));
}

Status WriteAll(int fd, const std::string& path, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return PosixError(path, "write", errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
  if (::fsync(fd) != 0) return PosixError(path, "fsync", errno);
  return Status::Ok();
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

Status DataDirectory::EnsureKeyEncryptionKey() const {
  const std::string path = File(kKeyEncryptionKeyFileName);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (static_cast<size_t>(st.st_size) != kKeyEncryptionKeyBytes) {
      return FailedPrecondition(path + ": expected " +
                                std::to_string(kKeyEncryptionKeyBytes) +
                                " bytes, found " + std::to_string(st.st_size));
    }
    return Status::Ok();
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return PosixError(path, "create", errno);
  Status written = WriteAll(fd, path, RandomBytes(kKeyEncryptionKeyBytes));
  ::close(fd);
  return written;
}

Status DataDirectory::WriteSecretFile(std::string_view name,
                                      std::string_view contents) const {
  const std::string path = File(name);
  // O_NOFOLLOW: a symlink planted at admin.token must not receive the token.
  int fd = ::open(path.c_str(),
                  O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return PosixError(path, "create", errno);
  // An existing file keeps its old mode under O_CREAT; force 0600.
  Status status = ::fchmod(fd, 0600) == 0 ? WriteAll(fd, path, contents)
                                          : PosixError(path, "chmod", errno);
  ::close(fd);
  return status;
}

}  // namespace warden::server
