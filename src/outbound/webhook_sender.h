// WebhookSender: one HTTP/1.1 POST of a body, with the caller's headers, to
// a plain http:// URL ("http://host[:port][/path]"), for outbound webhooks.
// The use case (what to send, signing, queueing and retries) is the
// caller's: custody::WebhookNotifier for break-glass alerts.
//
// A POST is one bounded exchange: resolve, connect, write and read the
// answer must finish within `timeout`; it succeeds on a 2xx answer, whose
// body is ignored. Only plain HTTP is spoken: put a TLS terminator in front
// of remote receivers. Redirects are not followed (a 3xx is a failure).
//
// Errors: kInvalidArgument for a URL that is not http:// with a host;
// kUnavailable for the network, the timeout or a non-2xx status, naming the
// reason. Exceptions never escape.
//
// Thread-safety: immutable after construction; Post() may be called from
// any thread (each call uses its own io_context).
#ifndef WARDEN_OUTBOUND_WEBHOOK_SENDER_H_
#define WARDEN_OUTBOUND_WEBHOOK_SENDER_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::outbound {

struct HttpHeader {
  std::string name;
  std::string value;
};

class WebhookSender {
 public:
  explicit WebhookSender(std::chrono::milliseconds timeout)
      : timeout_(timeout) {}
  virtual ~WebhookSender() = default;

  // POSTs `body` as `content_type` with `headers` to `url`; Ok on a 2xx.
  virtual Status Post(const std::string& url,
                      const std::vector<HttpHeader>& headers,
                      std::string_view content_type,
                      std::string_view body) const;

  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  const std::chrono::milliseconds timeout_;
};

}  // namespace warden::outbound

#endif  // WARDEN_OUTBOUND_WEBHOOK_SENDER_H_
