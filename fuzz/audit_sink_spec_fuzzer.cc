// libFuzzer target: the audit sink spec parser (`warden serve --audit-sink
// NAME=URL`, also reached through the configuration file). A spec that
// parses must respect every bound audit_sink_spec.h names, and a syslog
// message built from its header fields must stay inside RFC 5424's
// printable-ASCII header.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "audit/audit_sink_spec.h"
#include "audit/syslog_message.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckSpec(const warden::AuditSinkSpec& spec) {
  Check(!spec.name.empty() && spec.name.size() <= 64);
  const int batch = spec.EffectiveBatch();
  Check(batch >= 1 && batch <= warden::kMaxAuditSinkBatch);
  switch (spec.kind) {
    case warden::AuditSinkKind::kFile:
      Check(!spec.path.empty() && spec.path.front() == '/');
      Check(spec.max_bytes == 0 || spec.max_bytes >= 4096);
      break;
    case warden::AuditSinkKind::kSyslogTcp:
    case warden::AuditSinkKind::kSyslogUdp:
      Check(!spec.host.empty() && spec.port != 0);
      Check(spec.facility >= 0 && spec.facility <= 23);
      Check(spec.max_datagram >= warden::kMinSyslogDatagram &&
            spec.max_datagram <= warden::kMaxSyslogDatagram);
      Check(spec.app_name.size() <= warden::kMaxSyslogAppName);
      Check(spec.sd_id.size() <= warden::kMaxSdName);
      break;
    case warden::AuditSinkKind::kWebhook:
      Check(spec.url.starts_with("https://") ||
            spec.url.starts_with("http://"));
      Check(spec.url.find('#') == std::string::npos);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)warden::ParseNamedValue(text);
  auto spec = warden::ParseAuditSinkSpec(text);
  if (!spec.ok()) return 0;
  CheckSpec(*spec);
  if (spec->kind != warden::AuditSinkKind::kSyslogTcp) return 0;
  warden::AuditRecord record;
  record.sequence = 1;
  record.event.action = spec->name;
  warden::SyslogHeader header;
  header.facility = spec->facility;
  header.hostname = spec->hostname;
  header.app_name = spec->app_name;
  header.sd_id = spec->sd_id;
  const std::string message = warden::FormatSyslogMessage(record, header);
  // The header ends at the structured data; nothing before it may be a
  // control character or a byte past US-ASCII.
  const size_t sd = message.find(" [");
  Check(sd != std::string::npos);
  for (size_t i = 0; i < sd; ++i) {
    Check(message[i] >= 32 && message[i] <= 126);
  }
  return 0;
}
