// External witnesses of the audit chain: places outside the data dir that
// receive every signed checkpoint as one JSON line, so an attacker who owns
// the host cannot roll back both the database and every copy of its signed
// head unseen. `warden audit verify --checkpoint FILE` reads a witness file
// (its last line).
//
//   FileAuditWitness    appends to a file (put it on another mount, or a
//                       file that host users cannot rewrite), fsync per line
//   StreamAuditWitness  writes to an open stream (stdout: a log shipper)
//
// Thread safety: a witness is called by one thread at a time (the
// WitnessPublisher's).
#ifndef WARDEN_AUDIT_AUDIT_WITNESS_H_
#define WARDEN_AUDIT_AUDIT_WITNESS_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden {

class AuditWitness {
 public:
  virtual ~AuditWitness() = default;
  // Appends `line` (one JSON object, without its newline) durably where the
  // medium allows. Errors name the witness.
  virtual Status Append(std::string_view line) = 0;
  // For logs: "file /mnt/witness/warden.jsonl", "stdout".
  virtual std::string name() const = 0;
};

class FileAuditWitness final : public AuditWitness {
 public:
  // Opens (creating, 0600) `path` for appending. kUnavailable naming it
  // when it cannot be opened.
  static Result<std::unique_ptr<FileAuditWitness>> Open(
      const std::string& path);
  ~FileAuditWitness() override;

  Status Append(std::string_view line) override;
  std::string name() const override { return "file " + path_; }

 private:
  FileAuditWitness(std::string path, int fd)
      : path_(std::move(path)), fd_(fd) {}

  const std::string path_;
  const int fd_;
};

class StreamAuditWitness final : public AuditWitness {
 public:
  // `stream` is not owned and must outlive the witness.
  StreamAuditWitness(std::FILE* stream, std::string name)
      : stream_(stream), name_(std::move(name)) {}

  Status Append(std::string_view line) override;
  std::string name() const override { return name_; }

 private:
  std::FILE* const stream_;
  const std::string name_;
};

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_WITNESS_H_
