#include "core/audit_record.h"

#include <charconv>

#include "core/crypto.h"

namespace warden {
namespace {

// Decimal text without an allocation (std::to_string would cost one per
// field on the verification path).
class Decimal {
 public:
  explicit Decimal(int64_t value)
      : end_(std::to_chars(digits_, digits_ + sizeof(digits_), value).ptr) {}
  std::string_view view() const {
    return std::string_view(digits_, static_cast<size_t>(end_ - digits_));
  }

 private:
  char digits_[24];  // an int64 has at most 20 characters
  char* end_;
};

void AppendField(std::string& out, std::string_view field) {
  out += Decimal(static_cast<int64_t>(field.size())).view();
  out += ':';
  out += field;
  out += ';';
}

void AppendNumberField(std::string& out, int64_t value) {
  AppendField(out, Decimal(value).view());
}

}  // namespace

AuditRecordView ViewOf(const AuditRecord& record) {
  AuditRecordView view;
  view.sequence = record.sequence;
  view.time_us = ToMicros(record.event.time);
  view.actor = record.event.actor;
  view.action = record.event.action;
  view.target = record.event.target;
  view.outcome = record.event.outcome;
  view.details = record.event.details;
  view.prev_hash = record.prev_hash;
  view.hash = record.hash;
  view.format = static_cast<int>(record.format);
  return view;
}

void AppendCanonicalAuditEncoding(const AuditRecordView& record,
                                  std::string& out) {
  out.clear();
  out += record.format == static_cast<int>(AuditHashFormat::kHmacSha256)
             ? "warden-audit-v2;"
             : "warden-audit-v1;";
  AppendNumberField(out, record.sequence);
  AppendNumberField(out, record.time_us);
  AppendField(out, record.actor);
  AppendField(out, record.action);
  AppendField(out, record.target);
  AppendField(out, record.outcome);
  AppendField(out, record.details);
  AppendField(out, record.prev_hash);
}

std::string CanonicalAuditEncoding(int64_t sequence, const AuditEvent& event,
                                   const std::string& prev_hash) {
  AuditRecord record;
  record.sequence = sequence;
  record.event = event;
  record.prev_hash = prev_hash;
  std::string out;
  AppendCanonicalAuditEncoding(ViewOf(record), out);
  return out;
}

std::string AuditRecordHash(int64_t sequence, const AuditEvent& event,
                            const std::string& prev_hash) {
  return Sha256Hex(CanonicalAuditEncoding(sequence, event, prev_hash));
}

}  // namespace warden
