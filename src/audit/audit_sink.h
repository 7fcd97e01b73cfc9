// AuditSink: one destination of the audit stream (a JSON Lines file, a
// syslog collector, a webhook), fed by AuditSinkStreamer
// (audit_sink_streamer.h) with batches of committed records in sequence
// order.
//
// Deliver() returns Ok only once the batch is as safe at the destination as
// the transport can tell (file: written and fsynced; syslog over TCP: every
// byte acknowledged by the receiver's TCP; syslog over UDP: handed to the
// kernel, which is all UDP can tell; webhook: a 2xx answer). Only then does
// the streamer advance the sink's durable cursor; on an error it retries the
// same records later, so a receiver may see a record twice (after a crash
// or a retry) but never misses one: at-least-once. Each delivered record
// carries its sequence, hash and previous hash, so a receiver can check
// continuity and drop duplicates by sequence.
//
// Thread safety: one thread (the sink's streamer thread) calls a sink.
#ifndef WARDEN_AUDIT_AUDIT_SINK_H_
#define WARDEN_AUDIT_AUDIT_SINK_H_

#include <memory>
#include <span>
#include <string>

#include "audit/audit_sink_spec.h"
#include "core/audit_record.h"
#include "core/clock.h"
#include "core/status.h"

namespace warden {

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // REQUIRES: `records` not empty, consecutive sequences ascending.
  // kUnavailable (naming the destination) when the batch may not have
  // arrived; the sink reconnects or reopens on the next call.
  virtual Status Deliver(std::span<const AuditRecord> records) = 0;
  // Called when there is nothing to deliver (time-based rotation).
  virtual Status Idle() { return Status::Ok(); }
};

// Opens the sink `spec` describes. `secret`: the webhook's key (the
// contents of its secret file), unused by other kinds. Checks what can be
// checked without sending (the file's directory, the key's length);
// network destinations connect on first delivery, so a collector that is
// down at start only delays delivery. kInvalidArgument / kUnavailable
// naming the sink.
Result<std::unique_ptr<AuditSink>> OpenAuditSink(const AuditSinkSpec& spec,
                                                 const std::string& secret,
                                                 const Clock& clock);

}  // namespace warden

#endif  // WARDEN_AUDIT_AUDIT_SINK_H_
