// One entry of the append-only, SHA-256 hash-chained audit log.
//
// hash = SHA-256(CanonicalAuditEncoding(record)), where the encoding covers
// every field below except `hash` itself, including `prev_hash`. The first
// record's prev_hash is 64 zeros. Changing any stored byte of a record breaks
// its own hash; deleting or reordering breaks the next record's prev_hash.
#ifndef WARDEN_CORE_AUDIT_RECORD_H_
#define WARDEN_CORE_AUDIT_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"

namespace warden {

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
};

inline constexpr char kAuditGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Length-prefixed encoding of every hashed field: unambiguous (no field can
// bleed into the next) and independent of any storage format.
std::string CanonicalAuditEncoding(int64_t sequence, const AuditEvent& event,
                                   const std::string& prev_hash);

// Hex SHA-256 of the canonical encoding.
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
