// RFC 5424 section 6 (message format) and RFC 6587 section 3.4.1
// (octet counting).
#include "audit/syslog_message.h"

#include <algorithm>

#include "core/audit_record_json.h"
#include "core/time_format.h"

namespace warden {
namespace {

// RFC 5424 section 6: the header fields' lengths.
constexpr size_t kMaxHostname = 255;
constexpr size_t kMaxAppName = 48;
constexpr size_t kMaxProcId = 128;
constexpr size_t kMaxMsgId = 32;
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr int kSeverityWarning = 4;
constexpr int kSeverityNotice = 5;

// A header field: printable US-ASCII only, at most `limit`, "-" when empty.
std::string HeaderField(std::string_view text, size_t limit) {
  std::string out;
  for (char c : text) {
    if (out.size() == limit) break;
    if (c >= 33 && c <= 126) out += c;
  }
  return out.empty() ? "-" : out;
}

int Severity(std::string_view outcome) {
  return outcome == "ok" || outcome == "allow" ? kSeverityNotice
                                               : kSeverityWarning;
}

// The longest prefix of `text` of at most `limit` bytes that does not end
// inside a UTF-8 sequence.
std::string_view Utf8Prefix(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  // Step back over continuation bytes (10xxxxxx) to a lead byte, which then
  // starts a sequence the cut would split.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

std::string Prefix(const AuditRecord& record, const SyslogHeader& header,
                   bool truncated) {
  const int pri = header.facility * 8 + Severity(record.event.outcome);
  std::string out = "<" + std::to_string(pri) + ">1 ";
  out += FormatRfc3339(record.event.time);
  out += ' ';
  out += HeaderField(header.hostname, kMaxHostname);
  out += ' ';
  out += HeaderField(header.app_name, kMaxAppName);
  out += ' ';
  out += HeaderField(header.procid, kMaxProcId);
  out += ' ';
  out += HeaderField(record.event.action, kMaxMsgId);
  out += " [" + header.sd_id;
  out += " seq=\"" + std::to_string(record.sequence) + "\"";
  out += " hash=\"" + EscapeSdParamValue(record.hash) + "\"";
  out += " prev_hash=\"" + EscapeSdParamValue(record.prev_hash) + "\"";
  if (truncated) out += " truncated=\"1\"";
  out += "] ";
  out += kBom;
  return out;
}

}  // namespace

std::string EscapeSdParamValue(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

std::string FormatSyslogMessage(const AuditRecord& record,
                                const SyslogHeader& header, size_t max_bytes) {
  const std::string json = AuditRecordJson(record);
  std::string message = Prefix(record, header, false);
  if (max_bytes == 0 || message.size() + json.size() <= max_bytes) {
    return message + json;
  }
  message = Prefix(record, header, true);
  const size_t room =
      max_bytes > message.size() ? max_bytes - message.size() : 0;
  message += Utf8Prefix(json, room);
  return message;
}

void AppendOctetCountedFrame(std::string_view message, std::string& out) {
  out += std::to_string(message.size());
  out += ' ';
  out += message;
}

}  // namespace warden
