// Break-glass webhooks: signing, queueing and retries. Bodies are
// authenticated with HMAC-SHA256 (RFC 2104) from libsodium; the POST is
// outbound::WebhookSender's.
#include "custody/webhook_notifier.h"

#include <sodium.h>

#include <cstdio>

#include "core/crypto.h"

namespace warden::custody {

std::string WebhookSignature(std::string_view secret, std::string_view body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(secret.data()),
      secret.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return "sha256=" + HexEncode(mac, sizeof(mac));
}

WebhookNotifier::WebhookNotifier(WebhookConfig config)
    : config_(std::move(config)), sender_(config_.timeout) {
  if (enabled()) thread_ = std::thread([this] { Run(); });
}

WebhookNotifier::~WebhookNotifier() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

void WebhookNotifier::Notify(std::string event_type, std::string body) {
  if (!enabled()) return;
  {
    MutexLock lock(mu_);
    if (queue_.size() >= config_.max_queued) {
      queue_.pop_front();
      ++failed_;
    }
    queue_.push_back({std::move(event_type), std::move(body)});
  }
  wake_.NotifyOne();
}

void WebhookNotifier::Run() {
  Event event;
  while (NextEvent(event)) {
    const Status status = DeliverWithRetries(event);
    if (status.ok()) {
      ++delivered_;
    } else {
      ++failed_;
      std::fprintf(stderr, "webhook %s not delivered: %s\n", event.type.c_str(),
                   status.ToString().c_str());
    }
  }
}

// Blocks until an event is queued; false once stopping and drained.
bool WebhookNotifier::NextEvent(Event& event) {
  MutexLock lock(mu_);
  while (!stopping_ && queue_.empty()) wake_.Wait(mu_);
  if (queue_.empty()) return false;
  event = std::move(queue_.front());
  queue_.pop_front();
  return true;
}

Status WebhookNotifier::DeliverWithRetries(const Event& event) {
  std::chrono::milliseconds backoff = config_.first_backoff;
  Status status;
  for (int attempt = 1; attempt <= config_.max_attempts; ++attempt) {
    status = Deliver(event);
    if (status.ok() || StoppingAfter(backoff)) break;
    backoff *= 2;
  }
  return status;
}

// Waits out `backoff` unless the notifier stops first; true when stopping.
// A stopping notifier gives each remaining event one attempt only.
bool WebhookNotifier::StoppingAfter(std::chrono::milliseconds backoff) {
  const auto deadline = std::chrono::steady_clock::now() + backoff;
  MutexLock lock(mu_);
  while (!stopping_) {
    if (!wake_.WaitUntil(mu_, deadline)) break;  // backoff over
  }
  return stopping_;
}

Status WebhookNotifier::Deliver(const Event& event) const {
  return sender_.Post(
      config_.url,
      {{"X-Warden-Event", event.type},
       {"X-Warden-Signature", WebhookSignature(config_.secret, event.body)}},
      "application/json", event.body);
}

}  // namespace warden::custody
