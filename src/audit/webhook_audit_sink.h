// WebhookAuditSink: batches of audit records POSTed to an HTTPS endpoint
// (plain http only to loopback), signed after Standard Webhooks
// (https://www.standardwebhooks.com/, "symmetric" signatures):
//
//   webhook-id: audit-<first sequence>-<last sequence>
//   webhook-timestamp: <Unix seconds>
//   webhook-signature: v1,<base64 HMAC-SHA256(key, id "." timestamp "."
//                      body)>
//   content-type: application/json
//   body: {"records": [<record JSON>, ...]}   (core/audit_record_json.h)
//
// The key is the secret file's content: "whsec_" + base64 (as Standard
// Webhooks libraries print secrets) is decoded, anything else is used as
// bytes; at least 16 bytes either way. A batch is delivered on a 2xx
// answer; anything else (a 3xx included: redirects are not followed), a
// timeout or a network error fails it and the streamer retries it with
// backoff. Receivers should drop records whose sequence they have seen.
//
// Thread safety: one thread, as AuditSink.
#ifndef WARDEN_AUDIT_WEBHOOK_AUDIT_SINK_H_
#define WARDEN_AUDIT_WEBHOOK_AUDIT_SINK_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "audit/audit_sink.h"
#include "core/clock.h"

namespace warden {

// The shortest key accepted: 128 bits.
inline constexpr size_t kMinWebhookKeyBytes = 16;

// The HMAC key of secret-file contents (trailing whitespace ignored):
// kInvalidArgument when it is too short or not valid base64 after whsec_.
Result<std::string> WebhookKeyFromSecret(std::string_view secret);

// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)).
std::string StandardWebhookSignature(std::string_view key, std::string_view id,
                                     std::string_view timestamp,
                                     std::string_view body);

class WebhookAuditSink final : public AuditSink {
 public:
  // `key`: from WebhookKeyFromSecret. `clock` must outlive the sink.
  WebhookAuditSink(std::string url, std::string key,
                   std::chrono::milliseconds timeout, const Clock& clock);

  Status Deliver(std::span<const AuditRecord> records) override;

 private:
  const std::string url_;
  const std::string key_;
  const std::chrono::milliseconds timeout_;
  const Clock& clock_;
};

}  // namespace warden

#endif  // WARDEN_AUDIT_WEBHOOK_AUDIT_SINK_H_
