// Webhook delivery over HTTP/1.1 (RFC 9112) with Boost.Beast; bodies are
// authenticated with HMAC-SHA256 (RFC 2104) from libsodium.
#include "custody/webhook_notifier.h"

#include <sodium.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>

#include "core/crypto.h"

namespace warden::custody {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct Endpoint {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

Result<Endpoint> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return InvalidArgument("webhook url must start with http://");
  }
  std::string_view rest = url.substr(kScheme.size());
  Endpoint endpoint;
  const size_t slash = rest.find('/');
  if (slash != std::string_view::npos) endpoint.target = rest.substr(slash);
  std::string_view authority = rest.substr(0, slash);
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    endpoint.port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  endpoint.host = authority;
  if (endpoint.host.empty()) return InvalidArgument("webhook url has no host");
  return endpoint;
}

}  // namespace

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
    : config_(std::move(config)) {
  if (enabled()) thread_ = std::thread([this] { Run(); });
}

WebhookNotifier::~WebhookNotifier() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookNotifier::Notify(std::string event_type, std::string body) {
  if (!enabled()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= config_.max_queued) {
      queue_.pop_front();
      ++failed_;
    }
    queue_.push_back({std::move(event_type), std::move(body)});
  }
  wake_.notify_one();
}

void WebhookNotifier::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and drained
    Event event = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    auto backoff = config_.first_backoff;
    Status status;
    for (int attempt = 1; attempt <= config_.max_attempts; ++attempt) {
      status = Deliver(event);
      if (status.ok()) break;
      std::unique_lock<std::mutex> wait_lock(mu_);
      // A stopping notifier gives each remaining event one attempt only.
      if (wake_.wait_for(wait_lock, backoff, [this] { return stopping_; })) {
        break;
      }
      backoff *= 2;
    }
    if (status.ok()) {
      ++delivered_;
    } else {
      ++failed_;
      std::fprintf(stderr, "webhook %s not delivered: %s\n", event.type.c_str(),
                   status.ToString().c_str());
    }
    lock.lock();
  }
}

Status WebhookNotifier::Deliver(const Event& event) {
  WARDEN_ASSIGN_OR_RETURN(Endpoint endpoint, ParseHttpUrl(config_.url));
  try {
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(config_.timeout);
    stream.connect(resolver.resolve(endpoint.host, endpoint.port));
    http::request<http::string_body> request(http::verb::post, endpoint.target,
                                             11);
    request.set(http::field::host, endpoint.host);
    request.set(http::field::content_type, "application/json");
    request.set("X-Warden-Event", event.type);
    request.set("X-Warden-Signature",
                WebhookSignature(config_.secret, event.body));
    request.body() = event.body;
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    if (response.result_int() / 100 != 2) {
      return Unavailable("webhook receiver answered " +
                         std::to_string(response.result_int()));
    }
    return Status::Ok();
  } catch (const std::exception& e) {
    return Unavailable(std::string("webhook delivery: ") + e.what());
  }
}

}  // namespace warden::custody
