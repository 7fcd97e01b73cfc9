#include "store/sqlite/database_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace warden::sqlite {
namespace {

constexpr mode_t kPrivateMode = 0600;

Status PosixError(std::string_view op, const std::string& path, int err) {
  return Unavailable(std::string(op) + " " + path + ": " + std::strerror(err));
}

// Sets 0600 on the open file when group or others have any access.
Status Tighten(int fd, const std::string& path) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return PosixError("stat", path, errno);
  if ((info.st_mode & 077) == 0) return Status::Ok();
  if (::fchmod(fd, kPrivateMode) != 0) return PosixError("chmod", path, errno);
  std::fprintf(stderr, "warden: %s was mode %03o; set to 0600\n", path.c_str(),
               static_cast<unsigned>(info.st_mode & 0777));
  return Status::Ok();
}

// `create`: make the file (0600 before the umask, which can only remove
// bits) when it does not exist.
Status Secure(const std::string& path, bool create) {
  const int flags = O_RDONLY | O_CLOEXEC | (create ? O_CREAT : 0);
  const int fd = ::open(path.c_str(), flags, kPrivateMode);
  if (fd < 0) {
    if (!create && errno == ENOENT) return Status::Ok();
    return PosixError(create ? "create" : "open", path, errno);
  }
  const Status status = Tighten(fd, path);
  ::close(fd);
  return status;
}

}  // namespace

Status PrepareDatabaseFiles(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) {
    return Status::Ok();
  }
  WARDEN_RETURN_IF_ERROR(Secure(path, /*create=*/true));
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    WARDEN_RETURN_IF_ERROR(Secure(path + suffix, /*create=*/false));
  }
  return Status::Ok();
}

}  // namespace warden::sqlite
