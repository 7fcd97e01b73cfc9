// SyslogAuditSink: audit records to a syslog collector as RFC 5424
// messages (syslog_message.h), over TCP with octet-counting framing (RFC
// 6587 section 3.4.1) or over UDP, one message per datagram (RFC 5426).
//
// TCP: one connection, opened on first use and again after any error. A
// batch counts as delivered once the collector's TCP has acknowledged every
// byte of it (the socket's send queue, SIOCOUTQ, drained), not merely once
// it is in this host's send buffer; a connection that breaks before that
// fails the batch, which is then sent again (duplicates, never gaps).
// Connect, write and acknowledgement are bounded by `timeout`.
//
// UDP: each datagram is handed to the kernel; UDP tells nothing more, so a
// datagram lost on the wire is lost (at-least-once ends at this host). A
// message longer than `max_datagram` is truncated (syslog_message.h).
//
// Thread safety: one thread, as AuditSink.
#ifndef WARDEN_AUDIT_SYSLOG_AUDIT_SINK_H_
#define WARDEN_AUDIT_SYSLOG_AUDIT_SINK_H_

#include <chrono>
#include <memory>
#include <string>

#include "audit/audit_sink.h"
#include "audit/audit_sink_spec.h"
#include "audit/syslog_message.h"

namespace warden {

class SyslogAuditSink final : public AuditSink {
 public:
  // REQUIRES: spec.kind is kSyslogTcp or kSyslogUdp.
  SyslogAuditSink(const AuditSinkSpec& spec, std::chrono::milliseconds timeout);
  ~SyslogAuditSink() override;
  SyslogAuditSink(const SyslogAuditSink&) = delete;
  SyslogAuditSink& operator=(const SyslogAuditSink&) = delete;

  Status Deliver(std::span<const AuditRecord> records) override;

 private:
  Status Connect();
  Status DeliverTcp(std::span<const AuditRecord> records);
  Status DeliverUdp(std::span<const AuditRecord> records);
  Status SendAll(std::string_view bytes);
  Status AwaitAcknowledged();
  Status Fail(std::string_view what, int error);
  void Disconnect();

  const bool udp_;
  const std::string host_;
  const std::string port_;
  const size_t max_datagram_;
  const std::chrono::milliseconds timeout_;
  const SyslogHeader header_;
  int fd_ = -1;
};

}  // namespace warden

#endif  // WARDEN_AUDIT_SYSLOG_AUDIT_SINK_H_
