// Audit records as syslog messages: RFC 5424 (The Syslog Protocol) with the
// record's chain position in structured data, and RFC 6587's octet-counting
// frame for TCP.
//
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID seq="N"
//     hash="..." prev_hash="..."] BOM{record JSON}
//
// PRI: facility * 8 + severity, severity 5 (notice) for outcomes "ok" and
// "allow", 4 (warning) otherwise (denials and failures). TIMESTAMP: the
// record's time (UTC, microseconds). MSGID: the action (e.g.
// "identity.create"), cut to 32 printable ASCII characters. MSG: the
// record's JSON (core/audit_record_json.h) after a UTF-8 BOM (RFC 5424 6.4).
//
// Thread safety: pure functions.
#ifndef WARDEN_AUDIT_SYSLOG_MESSAGE_H_
#define WARDEN_AUDIT_SYSLOG_MESSAGE_H_

#include <string>
#include <string_view>

#include "core/audit_record.h"

namespace warden {

struct SyslogHeader {
  int facility = 13;  // 0..23
  std::string hostname = "-";
  std::string app_name = "warden";
  std::string procid = "-";
  std::string sd_id = "audit@32473";
};

// The message of `record`. With `max_bytes` > 0 and a message longer than
// that, MSG is cut (on a UTF-8 character boundary) so the whole message
// fits, and the structured data says truncated="1": the chain fields stay
// whole, so a receiver still sees continuity. REQUIRES: max_bytes is 0 or
// leaves room for the header and structured data (480 does).
std::string FormatSyslogMessage(const AuditRecord& record,
                                const SyslogHeader& header,
                                size_t max_bytes = 0);

// Appends RFC 6587 section 3.4.1's frame of `message`: its length in
// octets, a space, the message.
void AppendOctetCountedFrame(std::string_view message, std::string& out);

// `text` as an RFC 5424 PARAM-VALUE: '"', '\' and ']' escaped with '\'.
std::string EscapeSdParamValue(std::string_view text);

}  // namespace warden

#endif  // WARDEN_AUDIT_SYSLOG_MESSAGE_H_
