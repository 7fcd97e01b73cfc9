#include "audit/audit_archive_writer.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/crypto.h"

namespace warden {
namespace {

// Lines are gathered up to this many bytes before deflate sees them, and
// deflate's output is written in pieces of this size.
constexpr size_t kBufferBytes = 256 * 1024;
// windowBits + 16: a gzip wrapper (RFC 1952) rather than zlib's own.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;

Status IoError(const std::string& what, const std::string& path) {
  return Unavailable(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

// The partial file: deflate over a buffer of lines, and the SHA-256 of the
// record lines (the manifest line is not part of the digest).
class AuditArchiveWriter::GzipFile {
 public:
  static Result<std::unique_ptr<GzipFile>> Create(const std::string& path) {
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) return AlreadyExists(path + " exists");
      return IoError("create", path);
    }
    auto file = std::unique_ptr<GzipFile>(new GzipFile(path, fd));
    if (deflateInit2(&file->stream_, kAuditArchiveCompressionLevel, Z_DEFLATED,
                     kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Internal("deflateInit2 failed");
    }
    file->deflating_ = true;
    return file;
  }

  ~GzipFile() {
    if (deflating_) deflateEnd(&stream_);
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(path_.c_str());
  }

  void UpdateDigest(std::string_view bytes) {
    crypto_hash_sha256_update(
        &digest_, reinterpret_cast<const unsigned char*>(bytes.data()),
        bytes.size());
  }

  std::string DigestHex() {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&digest_, out);
    return HexEncode(out, sizeof(out));
  }

  Status Append(std::string_view bytes) {
    pending_.append(bytes);
    if (pending_.size() < kBufferBytes) return Status::Ok();
    return Deflate(Z_NO_FLUSH);
  }

  // Ends the gzip stream and makes the file durable; the caller links it.
  Status Close() {
    WARDEN_RETURN_IF_ERROR(Deflate(Z_FINISH));
    if (::fsync(fd_) != 0) return IoError("fsync", path_);
    if (::close(fd_) != 0) {
      fd_ = -1;
      return IoError("close", path_);
    }
    fd_ = -1;
    return Status::Ok();
  }

  void Keep() { kept_ = true; }
  int64_t written() const { return written_; }

 private:
  GzipFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
    crypto_hash_sha256_init(&digest_);
  }

  Status Deflate(int flush) {
    stream_.next_in = reinterpret_cast<Bytef*>(pending_.data());
    stream_.avail_in = static_cast<uInt>(pending_.size());
    int rc = Z_OK;
    do {
      stream_.next_out = reinterpret_cast<Bytef*>(out_);
      stream_.avail_out = sizeof(out_);
      rc = deflate(&stream_, flush);
      if (rc == Z_STREAM_ERROR) return Internal("deflate failed");
      WARDEN_RETURN_IF_ERROR(WriteAll(sizeof(out_) - stream_.avail_out));
    } while (stream_.avail_out == 0 ||
             (flush == Z_FINISH && rc != Z_STREAM_END));
    pending_.clear();
    return Status::Ok();
  }

  Status WriteAll(size_t size) {
    const char* data = out_;
    while (size > 0) {
      const ssize_t n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IoError("write", path_);
      data += n;
      size -= static_cast<size_t>(n);
      written_ += n;
    }
    return Status::Ok();
  }

  const std::string path_;
  int fd_;
  z_stream stream_{};
  bool deflating_ = false;
  bool kept_ = false;
  crypto_hash_sha256_state digest_{};
  std::string pending_;
  char out_[kBufferBytes];
  int64_t written_ = 0;
};

Result<std::unique_ptr<AuditArchiveWriter>> AuditArchiveWriter::Create(
    const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return AlreadyExists(path + " exists");
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<GzipFile> file,
                          GzipFile::Create(path + ".partial"));
  return std::unique_ptr<AuditArchiveWriter>(
      new AuditArchiveWriter(path, std::move(file)));
}

AuditArchiveWriter::AuditArchiveWriter(std::string path,
                                       std::unique_ptr<GzipFile> file)
    : path_(std::move(path)), file_(std::move(file)) {}

AuditArchiveWriter::~AuditArchiveWriter() = default;

int64_t AuditArchiveWriter::file_bytes() const { return file_->written(); }

Status AuditArchiveWriter::Add(const AuditRecordView& record) {
  std::string line = EncodeAuditArchiveRecord(record);
  line += '\n';
  if (manifest_.records == 0) {
    manifest_.first_sequence = record.sequence;
    manifest_.anchor_hash = record.prev_hash;
  }
  ++manifest_.records;
  manifest_.last_sequence = record.sequence;
  manifest_.last_hash = record.hash;
  raw_bytes_ += static_cast<int64_t>(line.size());
  file_->UpdateDigest(line);
  return file_->Append(line);
}

Result<AuditArchiveManifest> AuditArchiveWriter::Finish(
    const AuditCheckpointSigner& signer, Timestamp now) {
  if (manifest_.records == 0 || finished_) {
    return Internal("audit archive: Finish without records");
  }
  AuditArchiveManifest manifest = manifest_;
  manifest.records_sha256 = file_->DigestHex();
  manifest.created_at = now;
  manifest.key_id = signer.key_id();
  manifest.signature = signer.SignMessage(ManifestSigningInput(manifest));
  const std::string line = EncodeAuditArchiveManifest(manifest) + "\n";
  raw_bytes_ += static_cast<int64_t>(line.size());
  WARDEN_RETURN_IF_ERROR(file_->Append(line));
  WARDEN_RETURN_IF_ERROR(file_->Close());
  // link(2) never replaces an existing file, unlike rename(2).
  const std::string partial = path_ + ".partial";
  if (::link(partial.c_str(), path_.c_str()) != 0) {
    return IoError("link " + partial + " to", path_);
  }
  ::unlink(partial.c_str());
  file_->Keep();  // the partial name is gone; nothing to remove
  const std::string dir = std::filesystem::path(path_).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(),
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);  // the new name survives a power loss
    ::close(dir_fd);
  }
  finished_ = true;
  return manifest;
}

}  // namespace warden
