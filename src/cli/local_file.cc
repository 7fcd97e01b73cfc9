#include "cli/local_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace warden::cli {
namespace {

Status ReadError(const std::string& path, int error) {
  return InvalidArgument("cannot read " + path + ": " + std::strerror(error));
}

// Reads `fd` to its end, at most max_bytes + 1 bytes (to detect "larger").
Result<std::string> ReadAll(int fd, const std::string& path, size_t max_bytes) {
  std::string text;
  char chunk[16 * 1024];
  while (text.size() <= max_bytes) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ReadError(path, errno);
    if (n == 0) return text;
    text.append(chunk, static_cast<size_t>(n));
  }
  return InvalidArgument(path + " is larger than " + std::to_string(max_bytes) +
                         " bytes");
}

}  // namespace

Result<std::string> ReadLocalFile(const std::string& path, size_t max_bytes) {
  if (path == "-") return ReadAll(STDIN_FILENO, "standard input", max_bytes);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ReadError(path, errno);
  struct stat info {};
  Result<std::string> text = ::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)
                                 ? Result<std::string>(ReadError(path, EISDIR))
                                 : ReadAll(fd, path, max_bytes);
  ::close(fd);
  return text;
}

}  // namespace warden::cli
