// Standard Webhooks signing (HMAC-SHA256, RFC 2104, from libsodium); the
// POST is outbound::ExchangeHttp's.
#include "audit/webhook_audit_sink.h"

#include <sodium.h>

#include <cctype>

#include "core/audit_record_json.h"
#include "core/base64.h"
#include "outbound/http_exchange.h"

namespace warden {
namespace {

// The receiver's answer is not read for meaning, only bounded.
constexpr size_t kMaxAnswerBytes = 1024 * 1024;

}  // namespace

Result<std::string> WebhookKeyFromSecret(std::string_view secret) {
  while (!secret.empty() &&
         std::isspace(static_cast<unsigned char>(secret.back()))) {
    secret.remove_suffix(1);
  }
  std::string key(secret);
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.starts_with(kPrefix)) {
    Result<std::string> decoded = Base64Decode(secret.substr(kPrefix.size()));
    if (!decoded.ok()) {
      return InvalidArgument("the key after whsec_ is not base64");
    }
    key = std::move(*decoded);
  }
  if (key.size() < kMinWebhookKeyBytes) {
    return InvalidArgument("the webhook key is shorter than 16 bytes");
  }
  return key;
}

std::string StandardWebhookSignature(std::string_view key, std::string_view id,
                                     std::string_view timestamp,
                                     std::string_view body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  auto update = [&state](std::string_view part) {
    crypto_auth_hmacsha256_update(
        &state, reinterpret_cast<const unsigned char*>(part.data()),
        part.size());
  };
  update(id);
  update(".");
  update(timestamp);
  update(".");
  update(body);
  crypto_auth_hmacsha256_final(&state, mac);
  return "v1," + Base64Encode(std::string_view(reinterpret_cast<char*>(mac),
                                               sizeof(mac)));
}

WebhookAuditSink::WebhookAuditSink(std::string url, std::string key,
                                   std::chrono::milliseconds timeout,
                                   const Clock& clock)
    : url_(std::move(url)),
      key_(std::move(key)),
      timeout_(timeout),
      clock_(clock) {}

Status WebhookAuditSink::Deliver(std::span<const AuditRecord> records) {
  std::string body = "{\"records\":[";
  for (size_t i = 0; i < records.size(); ++i) {
    if (i > 0) body += ',';
    body += AuditRecordJson(records[i]);
  }
  body += "]}";
  const std::string id = "audit-" + std::to_string(records.front().sequence) +
                         "-" + std::to_string(records.back().sequence);
  const std::string timestamp = std::to_string(ToUnixSeconds(clock_.Now()));
  outbound::HttpRequest request;
  request.method = outbound::HttpRequest::Method::kPost;
  request.url = url_;
  request.content_type = "application/json";
  request.headers = {{"webhook-id", id},
                     {"webhook-timestamp", timestamp},
                     {"webhook-signature",
                      StandardWebhookSignature(key_, id, timestamp, body)}};
  request.body = std::move(body);
  outbound::HttpExchangeLimits limits;
  limits.timeout = timeout_;
  limits.max_body_bytes = kMaxAnswerBytes;
  WARDEN_ASSIGN_OR_RETURN(
      outbound::HttpAnswer answer,
      outbound::ExchangeHttp(request, limits, "audit webhook"));
  if (answer.status / 100 != 2) {
    return Unavailable("audit webhook " + outbound::RedactedUrl(url_) +
                       " answered " + std::to_string(answer.status));
  }
  return Status::Ok();
}

}  // namespace warden
