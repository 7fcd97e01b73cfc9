// One entry of the append-only, hash-chained audit log.
//
// Every record stores the hash of the record before it (`prev_hash`; the
// first record's is 64 zeros) and its own link hash over the canonical
// encoding of every field below except `hash` itself, including
// `prev_hash`. Changing any stored byte of a record breaks its own hash;
// deleting or reordering breaks the next record's prev_hash.
//
// The link hash has a format, stored with each record:
//   1 (kSha256)     SHA-256 of the "warden-audit-v1" encoding. Anyone who can
//                   write the database can recompute it: it detects damage,
//                   not a rewrite. Records written before the audit key
//                   existed keep this format.
//   2 (kHmacSha256) HMAC-SHA-256 (RFC 2104) of the "warden-audit-v2" encoding
//                   under the audit key (audit_chain_key.h), which is kept
//                   outside the database. Without the key nobody can forge a
//                   record or recompute the chain after an edit.
// A chain switches from format 1 to 2 once, at the upgrade, and never back:
// a format-1 record after a format-2 one is itself a break. Deleting the
// tail leaves a valid shorter chain; signed checkpoints kept outside the
// database (audit/audit_checkpoint.h) detect that.
#ifndef WARDEN_CORE_AUDIT_RECORD_H_
#define WARDEN_CORE_AUDIT_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace warden {

enum class AuditHashFormat : int {
  kSha256 = 1,
  kHmacSha256 = 2,
};

// What a caller appends; the log assigns sequence and hashes.
struct AuditEvent {
  Timestamp time{};
  std::string actor;    // principal subject or "anonymous"
  std::string action;   // e.g. "identity.create", "auth.authenticate"
  std::string target;   // e.g. "identity/<id>", "team/payments"
  std::string outcome;  // "allow", "deny", "ok", or an error code name
  std::string details;  // compact JSON object text; never holds secrets
};

struct AuditRecord {
  int64_t sequence = 0;  // 1, 2, 3 ... without gaps
  AuditEvent event;
  std::string prev_hash;  // hex
  std::string hash;       // hex
  AuditHashFormat format = AuditHashFormat::kSha256;
};

// A record as stored, without copies: the text fields point into the
// store's (or the caller's) buffers and are valid only as long as those.
// `format` is the raw stored value, which may be one this binary does not
// know (a verifier reports it rather than guessing).
struct AuditRecordView {
  int64_t sequence = 0;
  int64_t time_us = 0;
  std::string_view actor;
  std::string_view action;
  std::string_view target;
  std::string_view outcome;
  std::string_view details;
  std::string_view prev_hash;
  std::string_view hash;
  int format = static_cast<int>(AuditHashFormat::kSha256);
};

// The view of `record` (which must outlive it).
AuditRecordView ViewOf(const AuditRecord& record);

inline constexpr char kAuditGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Length-prefixed encoding of every hashed field: unambiguous (no field can
// bleed into the next) and independent of any storage format. The tag
// ("warden-audit-v1;" or "-v2;") names the format, so a format-1 encoding is
// never a format-2 one. Replaces the contents of `out` (reusing its
// capacity). REQUIRES: `format` is 1 or 2.
void AppendCanonicalAuditEncoding(const AuditRecordView& record,
                                  std::string& out);

// The format-1 encoding of a record (tests and tools).
std::string CanonicalAuditEncoding(int64_t sequence, const AuditEvent& event,
                                   const std::string& prev_hash);

// Hex SHA-256 of the format-1 encoding (what a rewrite of an unkeyed chain
// recomputes; tests use it to play that attacker).
std::string AuditRecordHash(int64_t sequence, const AuditEvent& event,
                            const std::string& prev_hash);

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;  // exact, or prefix when ending in '*'
  std::optional<std::string> target;
  std::optional<Timestamp> since;  // inclusive
  std::optional<Timestamp> until;  // exclusive
  std::optional<int64_t> after_sequence;
  int limit = 100;
  bool newest_first = false;
};

}  // namespace warden

#endif  // WARDEN_CORE_AUDIT_RECORD_H_
