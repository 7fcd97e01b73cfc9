// Verifies an audit archive (audit_archive.h) on its own: with the
// checkpoint public key only, or with the audit key too.
//
// Thread safety: a verifier is used by one thread at a time; the free
// functions are thread-safe.
#ifndef WARDEN_AUDIT_AUDIT_ARCHIVE_VERIFIER_H_
#define WARDEN_AUDIT_AUDIT_ARCHIVE_VERIFIER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "audit/audit_archive.h"
#include "core/audit_chain_key.h"

namespace warden {

struct AuditArchiveVerifyOptions {
  // The checkpoint key's 32-byte Ed25519 public key. Required.
  std::string public_key;
  // When set, keyed (HMAC) records are re-hashed too; not owned.
  const AuditChainKey* key = nullptr;
};

struct AuditArchiveSummary {
  AuditArchiveManifest manifest;
  int64_t rehashed = 0;    // records whose link hash was recomputed
  int64_t raw_bytes = 0;   // uncompressed bytes
  int64_t keyed_from = 0;  // the first keyed record; 0 when none
};

// Verifies an archive's uncompressed contents fed in pieces of any size
// (the file reader's gunzip output, or a fuzzer's bytes).
class AuditArchiveVerifier {
 public:
  explicit AuditArchiveVerifier(AuditArchiveVerifyOptions options);
  ~AuditArchiveVerifier();
  AuditArchiveVerifier(const AuditArchiveVerifier&) = delete;
  AuditArchiveVerifier& operator=(const AuditArchiveVerifier&) = delete;

  // kFailedPrecondition (kAuditArchiveBrokenProblem) at the first problem,
  // naming the line and sequence; the verifier is then spent.
  Status Consume(std::string_view bytes);
  // Checks the held last line as the manifest and the records against it.
  Result<AuditArchiveSummary> Finish();

 private:
  struct State;
  Status Line(std::string_view line);
  Status Record(std::string_view line);

  std::unique_ptr<State> state_;
};

// As VerifyAuditArchiveFile, for an archive's bytes in memory (tests, the
// fuzzer).
Result<AuditArchiveSummary> VerifyAuditArchiveGzip(
    std::string_view gzip_bytes, const AuditArchiveVerifyOptions& options);

// Reads and verifies the archive file at `path`. kNotFound when it does
// not exist; kFailedPrecondition (kAuditArchiveBrokenProblem) when it is
// not a complete gzip stream or does not verify.
Result<AuditArchiveSummary> VerifyAuditArchiveFile(
    const std::string& path, const AuditArchiveVerifyOptions& options);

// OK when `next` continues `previous`: the sequence after its last, and
// its anchor_hash is previous's last_hash. kFailedPrecondition
// (kAuditArchiveBrokenProblem) saying which does not hold.
Status CheckAuditArchiveLink(const AuditArchiveManifest& previous,
                             const AuditArchiveManifest& next);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_ARCHIVE_VERIFIER_H_
