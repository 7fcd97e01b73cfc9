#include "audit/audit_witness.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace warden {

Result<std::unique_ptr<FileAuditWitness>> FileAuditWitness::Open(
    const std::string& path) {
  const int fd =
      ::open(path.c_str(),
             O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Unavailable("open audit witness file " + path + ": " +
                       std::strerror(errno));
  }
  return std::unique_ptr<FileAuditWitness>(new FileAuditWitness(path, fd));
}

FileAuditWitness::~FileAuditWitness() { ::close(fd_); }

// One write() per line: with O_APPEND the line lands whole at the end even
// if another writer shares the file (POSIX guarantees the seek-and-write is
// atomic; a line is far below any short-write threshold of a local file).
Status FileAuditWitness::Append(std::string_view line) {
  std::string data(line);
  data += '\n';
  std::string_view rest = data;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Unavailable("append to audit witness file " + path_ + ": " +
                         std::strerror(errno));
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  if (::fsync(fd_) != 0) {
    return Unavailable("fsync audit witness file " + path_ + ": " +
                       std::strerror(errno));
  }
  return Status::Ok();
}

Status StreamAuditWitness::Append(std::string_view line) {
  if (std::fwrite(line.data(), 1, line.size(), stream_) != line.size() ||
      std::fputc('\n', stream_) == EOF || std::fflush(stream_) != 0) {
    return Unavailable("write audit checkpoint to " + name_);
  }
  return Status::Ok();
}

}  // namespace warden
