#include "audit/audit_sink.h"

#include "audit/file_audit_sink.h"
#include "audit/syslog_audit_sink.h"
#include "audit/webhook_audit_sink.h"

namespace warden {
namespace {

// Connect, send and acknowledgement of one syslog batch.
constexpr std::chrono::seconds kSyslogTimeout{5};

}  // namespace

Result<std::unique_ptr<AuditSink>> OpenAuditSink(const AuditSinkSpec& spec,
                                                 const std::string& secret,
                                                 const Clock& clock) {
  const std::string context = "audit sink '" + spec.name + "'";
  switch (spec.kind) {
    case AuditSinkKind::kFile: {
      auto sink =
          FileAuditSink::Open(spec.path, spec.max_bytes, spec.max_age, clock);
      if (!sink.ok()) return sink.status().WithContext(context);
      return std::unique_ptr<AuditSink>(std::move(*sink));
    }
    case AuditSinkKind::kSyslogTcp:
    case AuditSinkKind::kSyslogUdp:
      return std::unique_ptr<AuditSink>(
          std::make_unique<SyslogAuditSink>(spec, kSyslogTimeout));
    case AuditSinkKind::kWebhook: {
      if (secret.empty()) {
        return InvalidArgument(
            context + ": a webhook needs its key (--audit-sink-secret-file " +
            spec.name + "=FILE)");
      }
      Result<std::string> key = WebhookKeyFromSecret(secret);
      if (!key.ok()) return key.status().WithContext(context);
      return std::unique_ptr<AuditSink>(std::make_unique<WebhookAuditSink>(
          spec.url, std::move(*key), spec.timeout, clock));
    }
  }
  return InvalidArgument(context + ": unknown kind");
}

}  // namespace warden
