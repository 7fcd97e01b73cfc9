// The JSON form of an audit record that leaves the server: the same object
// as GET /v1/audit and its JSON Lines export (docs/API.md), so a receiver
// parses one shape wherever it got the record from:
//   {"sequence", "time" (RFC 3339), "actor", "action", "target", "outcome",
//    "details" (object), "prev_hash", "hash", "hash_format"}
// Thread safety: a pure function.
#ifndef WARDEN_AUDIT_AUDIT_RECORD_JSON_H_
#define WARDEN_AUDIT_AUDIT_RECORD_JSON_H_

#include <string>

#include "core/audit_record.h"

namespace warden {

// Compact JSON object text, no trailing newline.
std::string AuditRecordJson(const AuditRecord& record);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_RECORD_JSON_H_
