#include "core/audit_record.h"

#include <string_view>

#include "core/crypto.h"

namespace warden {
namespace {

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

}  // namespace

std::string CanonicalAuditEncoding(int64_t sequence, const AuditEvent& event,
                                   const std::string& prev_hash) {
  std::string out = "warden-audit-v1;";
  AppendField(out, std::to_string(sequence));
  AppendField(out, std::to_string(ToMicros(event.time)));
  AppendField(out, event.actor);
  AppendField(out, event.action);
  AppendField(out, event.target);
  AppendField(out, event.outcome);
  AppendField(out, event.details);
  AppendField(out, prev_hash);
  return out;
}

std::string AuditRecordHash(int64_t sequence, const AuditEvent& event,
                            const std::string& prev_hash) {
  return Sha256Hex(CanonicalAuditEncoding(sequence, event, prev_hash));
}

}  // namespace warden
