// The JSON form of an audit record that leaves the server: GET /v1/audit,
// its JSON Lines export, archives and every audit sink, so a receiver
// parses one shape wherever it got the record from (docs/API.md):
//   {"sequence", "time" (RFC 3339), "actor", "action", "target", "outcome",
//    "details" (object), "prev_hash", "hash", "hash_format"}
// Thread safety: pure functions.
#ifndef WARDEN_CORE_AUDIT_RECORD_JSON_H_
#define WARDEN_CORE_AUDIT_RECORD_JSON_H_

#include <boost/json/object.hpp>
#include <string>

#include "core/audit_record.h"

namespace warden {

boost::json::object AuditRecordObject(const AuditRecord& record);

// AuditRecordObject as compact JSON text, no trailing newline.
std::string AuditRecordJson(const AuditRecord& record);

}  // namespace warden

#endif  // WARDEN_CORE_AUDIT_RECORD_JSON_H_
