// What `warden serve --audit-sink NAME=URL` asks for: one audit streaming
// sink, parsed and validated before the server starts, so a mistake is
// named at start and not at the first delivery.
//
// Spellings (docs/OPERATIONS.md, "Audit sinks"):
//   NAME=file:///ABS/PATH.jsonl[?max_bytes=SIZE][&max_age=DURATION][&batch=N]
//       JSON Lines appended to PATH, rotated (renamed with a UTC timestamp
//       suffix) when the next batch would pass max_bytes or the file is
//       older than max_age. SIZE: bytes, or with a K, M or G suffix (1024-
//       based); DURATION: 90s, 15m, 12h, 30d.
//   NAME=syslog+tcp://HOST:PORT[?facility=F][&app_name=A][&hostname=H]
//                             [&sd_id=ID][&batch=N]
//       RFC 5424 messages over TCP, octet-counting framing (RFC 6587 3.4.1).
//   NAME=syslog+udp://HOST:PORT[?...as tcp...][&max_datagram=BYTES]
//       RFC 5424 messages, one per datagram (RFC 5426).
//   NAME=https://HOST[:PORT]/PATH[?QUERY][#batch=N&timeout=DURATION]
//       A signed webhook (Standard Webhooks headers); plain http:// only to
//       loopback hosts. The URL, query included, is the receiver's; Warden's
//       own parameters go in the fragment, which is never sent. The key
//       comes from --audit-sink-secret-file NAME=FILE.
// NAME: 1 to 64 of [A-Za-z0-9_.-]; it keys the sink's durable cursor, so
// renaming a sink starts it again from the first record.
//
// Errors: kInvalidArgument naming the sink (when known), the parameter and
// the problem, e.g. "audit sink 'siem': unknown parameter 'max_byte' (file
// sinks take max_bytes, max_age, batch)". Never throws.
#ifndef WARDEN_AUDIT_AUDIT_SINK_SPEC_H_
#define WARDEN_AUDIT_AUDIT_SINK_SPEC_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace warden {

enum class AuditSinkKind { kFile, kSyslogTcp, kSyslogUdp, kWebhook };

// "file", "syslog+tcp", "syslog+udp", "webhook".
std::string_view AuditSinkKindName(AuditSinkKind kind);

// Bounds on what a spec may ask for, with their reasons.
// A batch is one read of the log and one cursor write: past this a batch
// only costs memory (and a webhook body grows past what receivers take).
inline constexpr int kMaxAuditSinkBatch = 10'000;
// The largest UDP payload over IPv4 (65535 - 8 - 20); RFC 5426 asks
// receivers for at least 2048, the default.
inline constexpr int kMaxSyslogDatagram = 65'507;
inline constexpr int kMinSyslogDatagram = 480;  // RFC 5426 section 3.2
// RFC 5424 field limits (section 6).
inline constexpr size_t kMaxSyslogHostname = 255;
inline constexpr size_t kMaxSyslogAppName = 48;
inline constexpr size_t kMaxSdName = 32;
// A spec is one command-line value: longer is a mistake.
inline constexpr size_t kMaxAuditSinkSpec = 4096;

struct AuditSinkSpec {
  std::string name;
  AuditSinkKind kind = AuditSinkKind::kFile;
  int batch = 0;  // records per delivery; 0 means the kind's default

  // file
  std::string path;
  uint64_t max_bytes = 0;           // 0: no size rotation
  std::chrono::seconds max_age{0};  // 0: no time rotation

  // syslog
  std::string host;
  uint16_t port = 0;
  int facility = 13;  // "log audit" (RFC 5424 table 1)
  std::string app_name = "warden";
  std::string hostname;               // empty: the machine's name
  std::string sd_id = "audit@32473";  // 32473: RFC 5612's documentation PEN
  int max_datagram = 2048;            // udp only

  // webhook
  std::string url;  // without the fragment
  std::chrono::seconds timeout{10};

  // `batch`, or the kind's default.
  int EffectiveBatch() const;
};

// Parses "NAME=URL" as above.
Result<AuditSinkSpec> ParseAuditSinkSpec(std::string_view text);

// Parses "NAME=VALUE" (the secret-file option): kInvalidArgument when there
// is no '=' or the name is not a valid sink name.
Result<std::pair<std::string, std::string>> ParseNamedValue(
    std::string_view text);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_SINK_SPEC_H_
