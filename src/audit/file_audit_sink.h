// FileAuditSink: audit records appended to a local file as JSON Lines
// (core/audit_record_json.h, one record per line), with rotation.
//
// A batch is written and fsynced (fdatasync) before Deliver returns, so the
// cursor never gets ahead of the disk. Rotation happens between batches:
// before a batch that would take the file past `max_bytes`, or once the
// file is older than `max_age` (checked at each batch and when idle). The
// full file is fsynced, renamed to PATH.YYYYMMDDTHHMMSSZ (".1", ".2" ... on
// a clash) and the directory fsynced, then a new PATH is created (0600).
// A shipper (Filebeat, Vector, fluent-bit) follows PATH by inode and reads
// rotated files to their end.
//
// After a crash the file may end in a partial line (the batch was being
// written, the cursor not advanced): Open cuts it back to the last newline,
// and the batch is written again whole.
//
// The file's age counts from its creation (statx birth time where the file
// system keeps it, else from when this process opened it).
//
// Thread safety: one thread, as AuditSink.
#ifndef WARDEN_AUDIT_FILE_AUDIT_SINK_H_
#define WARDEN_AUDIT_FILE_AUDIT_SINK_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "audit/audit_sink.h"
#include "core/clock.h"

namespace warden {

class FileAuditSink final : public AuditSink {
 public:
  // `max_bytes` 0: no size rotation; `max_age` 0: no time rotation.
  // kUnavailable naming the path when the file cannot be opened (a missing
  // directory, permissions). `clock` must outlive the sink.
  static Result<std::unique_ptr<FileAuditSink>> Open(
      std::string path, uint64_t max_bytes, std::chrono::seconds max_age,
      const Clock& clock);
  ~FileAuditSink() override;
  FileAuditSink(const FileAuditSink&) = delete;
  FileAuditSink& operator=(const FileAuditSink&) = delete;

  Status Deliver(std::span<const AuditRecord> records) override;
  Status Idle() override;

 private:
  FileAuditSink(std::string path, uint64_t max_bytes,
                std::chrono::seconds max_age, const Clock& clock);
  // Opens (creating 0600) path_ for appending, cutting a partial last line.
  Status OpenFile();
  bool TooOld() const;
  // Renames the current file away and opens a new one.
  Status Rotate();
  void CloseFile();

  const std::string path_;
  const uint64_t max_bytes_;
  const std::chrono::seconds max_age_;
  const Clock& clock_;
  int fd_ = -1;
  uint64_t size_ = 0;
  Timestamp created_at_{};
};

}  // namespace warden

#endif  // WARDEN_AUDIT_FILE_AUDIT_SINK_H_
