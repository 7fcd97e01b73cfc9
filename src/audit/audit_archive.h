// Audit archives: records pruned from the database (audit_archiver.h),
// kept in a file that verifies on its own.
//
// An archive is a gzip stream (RFC 1952) of JSON Lines: the records in
// chain order, one object per line, then one signed manifest line:
//
//   {"sequence":1,"time_us":1764000000000000,"actor":"root",
//    "action":"team.create","target":"team/payments","outcome":"ok",
//    "details":"{...}","prev_hash":"<64 hex>","hash":"<64 hex>","format":2}
//   ...
//   {"format":"warden-audit-archive-v1","first_sequence":1,
//    "last_sequence":1000,"records":1000,"anchor_hash":"<64 hex>",
//    "last_hash":"<64 hex>","records_sha256":"<64 hex>",
//    "created_at":"2026-12-07T10:00:00.000000Z","key_id":"<16 hex>",
//    "signature":"<base64url, 64 bytes>"}
//
// Record fields are those of core/audit_record.h (time in microseconds, so
// every record re-hashes exactly). The manifest names the chain position
// the archive continues (anchor_hash: the first record's prev_hash, the
// genesis hash for the first archive), the last record's hash (the next
// archive's anchor_hash, and the database's chain anchor), and the SHA-256
// of every record line with its newline. Its Ed25519 signature (the audit
// checkpoint key; DIR/audit-checkpoint.pub verifies it) covers
// ManifestSigningInput(), whose format tag is the archive's own.
//
// Verification needs only the public key: the signature, then per record
// the JSON shape, sequence order without gaps, each prev_hash against the
// previous hash, the one-way switch to keyed records, and the link hash of
// every unkeyed record (SHA-256); keyed records (HMAC) are re-hashed too
// when the audit key is given, and are otherwise covered by the signed
// records_sha256. Finally count, first and last sequence, anchor and last
// hash, and the digest must match the manifest.
//
// Writing: audit_archive_writer.h; verifying: audit_archive_verifier.h.
//
// Thread-safe: free functions without state.
#ifndef WARDEN_AUDIT_AUDIT_ARCHIVE_H_
#define WARDEN_AUDIT_AUDIT_ARCHIVE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/audit_checkpoint.h"
#include "core/audit_record.h"
#include "core/clock.h"
#include "core/status.h"

namespace warden {

inline constexpr char kAuditArchiveFormat[] = "warden-audit-archive-v1";

// Longest line a reader accepts. Records are a few hundred bytes (details
// are bounded by the API's body limits); the bound keeps a hostile file
// from growing the line buffer without end.
inline constexpr size_t kMaxAuditArchiveLineBytes = size_t{1} << 20;

// gzip level: 6 (zlib's default) roughly halves the size of level 1 on
// audit JSON for about twice the CPU; archives are written rarely and
// kept long. docs/PERFORMANCE.md has the rate.
inline constexpr int kAuditArchiveCompressionLevel = 6;

// The problem type of every "this archive does not verify" answer.
inline constexpr char kAuditArchiveBrokenProblem[] = "audit-archive-broken";

struct AuditArchiveManifest {
  int64_t first_sequence = 0;
  int64_t last_sequence = 0;
  int64_t records = 0;
  std::string anchor_hash;     // the first record's prev_hash
  std::string last_hash;       // the last record's hash
  std::string records_sha256;  // hex SHA-256 of the record lines
  Timestamp created_at{};
  std::string key_id;     // 16 lowercase hex digits
  std::string signature;  // 64 raw bytes
};

// The bytes the manifest's signature covers.
std::string ManifestSigningInput(const AuditArchiveManifest& manifest);

// One JSON object, no newline.
std::string EncodeAuditArchiveManifest(const AuditArchiveManifest& manifest);
std::string EncodeAuditArchiveRecord(const AuditRecordView& record);

// kFailedPrecondition (kAuditArchiveBrokenProblem): "audit archive: " and
// `message`.
Status AuditArchiveBroken(std::string_view message);

// True when `text` is `digits` lowercase hex digits (hashes, key ids).
bool IsLowerHexOfLength(std::string_view text, size_t digits);

// Parses a manifest line. Does not check the signature.
// kFailedPrecondition (kAuditArchiveBrokenProblem) naming the field.
Result<AuditArchiveManifest> ParseAuditArchiveManifest(std::string_view line);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_ARCHIVE_H_
