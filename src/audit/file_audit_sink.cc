#include "audit/file_audit_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>

#include "core/audit_record_json.h"

namespace warden {
namespace {

Status FileError(std::string_view what, const std::string& path) {
  return Unavailable("audit file sink: " + std::string(what) + " " + path +
                     ": " + std::strerror(errno));
}

// "20261207T104400Z".
std::string RotationSuffix(Timestamp now) {
  const std::time_t seconds = ToUnixSeconds(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError("write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncDirectory(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FileError("open directory", dir);
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return FileError("fsync directory", dir);
  return Status::Ok();
}

// Where the file's last complete line ends (0 when it has none).
Result<off_t> EndOfLastLine(int fd, off_t size, const std::string& path) {
  constexpr off_t kChunk = 4096;
  char buffer[kChunk];
  off_t end = size;
  while (end > 0) {
    const off_t start = end > kChunk ? end - kChunk : 0;
    const ssize_t n =
        ::pread(fd, buffer, static_cast<size_t>(end - start), start);
    if (n < 0) return FileError("read", path);
    for (ssize_t i = n - 1; i >= 0; --i) {
      if (buffer[i] == '\n') return start + i + 1;
    }
    end = start;
  }
  return off_t{0};
}

}  // namespace

FileAuditSink::FileAuditSink(std::string path, uint64_t max_bytes,
                             std::chrono::seconds max_age, const Clock& clock)
    : path_(std::move(path)),
      max_bytes_(max_bytes),
      max_age_(max_age),
      clock_(clock) {}

FileAuditSink::~FileAuditSink() { CloseFile(); }

Result<std::unique_ptr<FileAuditSink>> FileAuditSink::Open(
    std::string path, uint64_t max_bytes, std::chrono::seconds max_age,
    const Clock& clock) {
  std::unique_ptr<FileAuditSink> sink(
      new FileAuditSink(std::move(path), max_bytes, max_age, clock));
  WARDEN_RETURN_IF_ERROR(sink->OpenFile());
  return sink;
}

Status FileAuditSink::OpenFile() {
  fd_ = ::open(path_.c_str(),
               O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0) return FileError("open", path_);
  struct statx st {};
  if (::statx(fd_, "", AT_EMPTY_PATH, STATX_SIZE | STATX_BTIME, &st) != 0) {
    return FileError("stat", path_);
  }
  created_at_ = (st.stx_mask & STATX_BTIME)
                    ? FromMicros(int64_t{st.stx_btime.tv_sec} * 1'000'000 +
                                 st.stx_btime.tv_nsec / 1000)
                    : clock_.Now();
  size_ = st.stx_size;
  if (size_ == 0) return Status::Ok();
  // O_APPEND fds cannot pread: a second, read-only descriptor finds the
  // last newline.
  const int reader = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader < 0) return FileError("open", path_);
  Result<off_t> end = EndOfLastLine(reader, static_cast<off_t>(size_), path_);
  ::close(reader);
  if (!end.ok()) return end.status();
  if (static_cast<uint64_t>(*end) == size_) return Status::Ok();
  if (::ftruncate(fd_, *end) != 0) return FileError("truncate", path_);
  size_ = static_cast<uint64_t>(*end);
  return Status::Ok();
}

void FileAuditSink::CloseFile() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool FileAuditSink::TooOld() const {
  return max_age_.count() > 0 && size_ > 0 &&
         clock_.Now() - created_at_ >= max_age_;
}

Status FileAuditSink::Rotate() {
  if (::fsync(fd_) != 0) return FileError("fsync", path_);
  const std::string base = path_ + "." + RotationSuffix(clock_.Now());
  std::string target = base;
  for (int i = 1; ::access(target.c_str(), F_OK) == 0; ++i) {
    target = base + "." + std::to_string(i);
  }
  if (::rename(path_.c_str(), target.c_str()) != 0) {
    return FileError("rename", path_);
  }
  CloseFile();
  WARDEN_RETURN_IF_ERROR(OpenFile());
  created_at_ = clock_.Now();
  return SyncDirectory(path_);
}

Status FileAuditSink::Deliver(std::span<const AuditRecord> records) {
  if (fd_ < 0) WARDEN_RETURN_IF_ERROR(OpenFile());
  std::string lines;
  for (const AuditRecord& record : records) {
    lines += AuditRecordJson(record);
    lines += '\n';
  }
  const bool too_big =
      max_bytes_ > 0 && size_ > 0 && size_ + lines.size() > max_bytes_;
  if (too_big || TooOld()) WARDEN_RETURN_IF_ERROR(Rotate());
  Status written = WriteAll(fd_, lines, path_);
  if (written.ok() && ::fdatasync(fd_) != 0) {
    written = FileError("fsync", path_);
  }
  if (!written.ok()) {
    // Reopen next time: OpenFile cuts whatever part of the batch landed.
    CloseFile();
    return written;
  }
  size_ += lines.size();
  return Status::Ok();
}

Status FileAuditSink::Idle() {
  if (fd_ < 0 || !TooOld()) return Status::Ok();
  return Rotate();
}

}  // namespace warden
