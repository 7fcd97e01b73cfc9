#include "core/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace warden {
namespace {

Status PosixError(std::string_view op, const std::string& path, int err) {
  if (err == ENOENT)
    return NotFound(std::string(op) + " " + path + ": " + std::strerror(err));
  return Unavailable(std::string(op) + " " + path + ": " + std::strerror(err));
}

// Closes on every path out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status WriteAllAndSync(int fd, const std::string& path, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return PosixError("write", path, errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
  if (::fsync(fd) != 0) return PosixError("fsync", path, errno);
  return Status::Ok();
}

Result<std::string> ReadFrom(int fd, const std::string& path, size_t limit) {
  std::string out;
  char buffer[8192];
  while (out.size() < limit) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return PosixError("read", path, errno);
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// The whole file behind `fd`; kInvalidArgument when longer than max_bytes.
Result<std::string> ReadWhole(int fd, const std::string& path,
                              size_t max_bytes) {
  WARDEN_ASSIGN_OR_RETURN(std::string contents,
                          ReadFrom(fd, path, max_bytes + 1));
  if (contents.size() > max_bytes) {
    return InvalidArgument(path + ": longer than " + std::to_string(max_bytes) +
                           " bytes");
  }
  return contents;
}

}  // namespace

Status WritePrivateFileAtomically(const std::string& path,
                                  std::string_view contents) {
  const std::string temp = path + ".tmp";
  FileDescriptor fd(
      ::open(temp.c_str(),
             O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return PosixError("create", temp, errno);
  // A leftover temp file keeps its old mode under O_CREAT.
  if (::fchmod(fd.get(), 0600) != 0) return PosixError("chmod", temp, errno);
  WARDEN_RETURN_IF_ERROR(WriteAllAndSync(fd.get(), temp, contents));
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return PosixError("rename", temp, errno);
  }
  return Status::Ok();
}

Status CreatePrivateFile(const std::string& path, std::string_view contents) {
  FileDescriptor fd(::open(path.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           0600));
  if (fd.get() < 0 && errno == EEXIST) {
    return AlreadyExists("create " + path + ": exists");
  }
  if (fd.get() < 0) return PosixError("create", path, errno);
  if (::fchmod(fd.get(), 0600) != 0) return PosixError("chmod", path, errno);
  return WriteAllAndSync(fd.get(), path, contents);
}

Status WritePrivateFile(const std::string& path, std::string_view contents) {
  FileDescriptor fd(
      ::open(path.c_str(),
             O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return PosixError("create", path, errno);
  // An existing file keeps its old mode under O_CREAT.
  if (::fchmod(fd.get(), 0600) != 0) return PosixError("chmod", path, errno);
  return WriteAllAndSync(fd.get(), path, contents);
}

Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return PosixError("open", path, errno);
  return ReadWhole(fd.get(), path, max_bytes);
}

Result<std::string> ReadPrivateFile(const std::string& path, size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return PosixError("open", path, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return PosixError("stat", path, errno);
  if ((info.st_mode & 077) != 0) {
    return FailedPrecondition(path +
                              " is readable by group or others; chmod 600");
  }
  return ReadWhole(fd.get(), path, max_bytes);
}

Result<std::string> ReadFileTail(const std::string& path, size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return PosixError("open", path, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return PosixError("stat", path, errno);
  const auto size = static_cast<size_t>(info.st_size);
  if (size > max_bytes &&
      ::lseek(fd.get(), static_cast<off_t>(size - max_bytes), SEEK_SET) < 0) {
    return PosixError("seek", path, errno);
  }
  return ReadFrom(fd.get(), path, max_bytes);
}

bool FileExists(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;
}

}  // namespace warden
