// Writes an audit archive (audit_archive.h) to a file.
//
// Thread safety: one thread at a time.
#ifndef WARDEN_AUDIT_AUDIT_ARCHIVE_WRITER_H_
#define WARDEN_AUDIT_AUDIT_ARCHIVE_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "audit/audit_archive.h"

namespace warden {

// Writes one archive file. The file appears under its name only once
// Finish() has written and fsynced all of it (it is built as
// "<path>.partial" and linked into place, never replacing a file);
// destroying an unfinished writer removes the partial file.
class AuditArchiveWriter {
 public:
  // kAlreadyExists when `path` (or its partial file) exists; kUnavailable
  // for I/O errors. The file is created with mode 0600.
  static Result<std::unique_ptr<AuditArchiveWriter>> Create(
      const std::string& path);
  ~AuditArchiveWriter();
  AuditArchiveWriter(const AuditArchiveWriter&) = delete;
  AuditArchiveWriter& operator=(const AuditArchiveWriter&) = delete;

  // Appends the next record. REQUIRES: records come in chain order (the
  // archiver checks their links before adding them).
  Status Add(const AuditRecordView& record);

  // Appends the manifest signed by `signer`, then flushes, fsyncs and
  // links the file into place. REQUIRES: at least one record was added.
  Result<AuditArchiveManifest> Finish(const AuditCheckpointSigner& signer,
                                      Timestamp now);

  // Uncompressed bytes so far, and compressed bytes written.
  int64_t raw_bytes() const { return raw_bytes_; }
  int64_t file_bytes() const;

 private:
  class GzipFile;  // the partial file, its deflate stream and the digest
  AuditArchiveWriter(std::string path, std::unique_ptr<GzipFile> file);

  const std::string path_;
  std::unique_ptr<GzipFile> file_;
  AuditArchiveManifest manifest_;  // filled as records are added
  int64_t raw_bytes_ = 0;
  bool finished_ = false;
};

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_ARCHIVE_WRITER_H_
