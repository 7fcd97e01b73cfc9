// Outbound security webhooks (break-glass alerts): the use case. The HTTP
// POST itself is outbound::WebhookSender's.
//
// Each event is a JSON body POSTed to the configured http:// URL with
//   X-Warden-Signature: sha256=<hex HMAC-SHA256(secret, body)>
//   X-Warden-Event: <event type>
// so receivers can authenticate it. Delivery runs on one background thread
// with bounded retries (exponential backoff); a full queue drops the
// oldest event and counts it. Only plain HTTP is spoken: put a TLS
// terminator in front for remote receivers.
//
// Thread safety: Notify() may be called from any thread; the destructor
// stops the thread after a bounded drain.
#ifndef WARDEN_CUSTODY_WEBHOOK_NOTIFIER_H_
#define WARDEN_CUSTODY_WEBHOOK_NOTIFIER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <thread>

#include "core/mutex.h"
#include "core/status.h"
#include "outbound/webhook_sender.h"

namespace warden::custody {

struct WebhookConfig {
  std::string url;     // http://host:port/path; empty disables webhooks
  std::string secret;  // HMAC key
  int max_attempts = 5;
  std::chrono::milliseconds first_backoff{200};
  std::chrono::milliseconds timeout{3000};
  size_t max_queued = 1000;  // bound on memory if the receiver is down
};

// "sha256=" + hex HMAC-SHA256(secret, body).
std::string WebhookSignature(std::string_view secret, std::string_view body);

class WebhookNotifier {
 public:
  explicit WebhookNotifier(WebhookConfig config);
  ~WebhookNotifier();
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  // Queues `body` (a JSON object text) for delivery; no-op when disabled.
  void Notify(std::string event_type, std::string body);

  bool enabled() const { return !config_.url.empty(); }
  int64_t delivered() const { return delivered_; }
  int64_t failed() const { return failed_; }

 private:
  struct Event {
    std::string type;
    std::string body;
  };
  // The delivery thread's loop and its steps.
  void Run();
  bool NextEvent(Event& event);
  Status DeliverWithRetries(const Event& event);
  bool StoppingAfter(std::chrono::milliseconds backoff);
  Status Deliver(const Event& event) const;

  // Immutable after construction.
  const WebhookConfig config_;
  const outbound::WebhookSender sender_;

  Mutex mu_;
  CondVar wake_;  // queue_ grew or stopping_ was set
  std::deque<Event> queue_ WARDEN_GUARDED_BY(mu_);
  bool stopping_ WARDEN_GUARDED_BY(mu_) = false;

  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> failed_{0};
  std::thread thread_;  // started by the constructor, joined by ~
};

}  // namespace warden::custody

#endif  // WARDEN_CUSTODY_WEBHOOK_NOTIFIER_H_
