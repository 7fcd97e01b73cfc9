// SseConnection: one blocking Server-Sent Events connection over plain
// HTTP/1.1 (a POSIX socket), for the SDK's background thread. Parses the
// event stream format (WHATWG HTML 9.2.6): "id", "event", "data" fields,
// comment lines (heartbeats) skipped.
//
// Thread-safety: one thread reads; Interrupt() may be called from any other
// thread to make a blocked Next() return (kCancelled-like kUnavailable).
#ifndef WARDEN_SDK_SSE_CONNECTION_H_
#define WARDEN_SDK_SSE_CONNECTION_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace warden::sdk {

// One event larger than this is refused (a configuration of 100,000
// tenants is a few MiB).
inline constexpr size_t kMaxSseEventBytes = 256 * 1024 * 1024;
inline constexpr size_t kMaxResponseHeaderBytes = 16 * 1024;
// A refusal's problem+json body is read for its "detail" up to this size
// (the server's are a few hundred bytes); the detail is cut to
// kMaxRefusalDetailChars before it becomes part of an error message.
inline constexpr size_t kMaxRefusalBodyBytes = 8 * 1024;
inline constexpr size_t kMaxRefusalDetailChars = 512;

struct StreamEvent {
  std::string id;
  std::string event;
  std::string data;
};

struct HttpEndpoint {
  std::string host;
  uint16_t port = 80;
};
// "http://host:port[/]" -> endpoint; kInvalidArgument otherwise.
Result<HttpEndpoint> ParseHttpUrl(std::string_view url);

class SseConnection {
 public:
  // Connects, sends `GET target` with `headers`, reads the response header.
  // kUnauthenticated/kPermissionDenied for 401/403, kUnavailable otherwise;
  // a refusal's message carries the "detail" of its problem+json body.
  static Result<std::unique_ptr<SseConnection>> Open(
      const HttpEndpoint& endpoint, const std::string& target,
      const std::vector<std::pair<std::string, std::string>>& headers,
      std::chrono::milliseconds timeout);
  ~SseConnection();
  SseConnection(const SseConnection&) = delete;
  SseConnection& operator=(const SseConnection&) = delete;

  // The next event; kUnavailable when nothing (not even a heartbeat)
  // arrives within `idle_timeout`, on close, or after Interrupt().
  Result<StreamEvent> Next(std::chrono::milliseconds idle_timeout);
  void Interrupt();

 private:
  explicit SseConnection(int fd) : fd_(fd) {}
  Status Fill(std::chrono::milliseconds timeout);
  Status ReadHeader(std::chrono::milliseconds timeout);
  // Reads a refusal's body (after its `header`) for the problem's detail;
  // "" when it has no Content-Length, is too large or is not a problem.
  std::string RefusalDetail(std::string_view header,
                            std::chrono::milliseconds timeout);
  bool TakeEvent(StreamEvent* event);

  const int fd_;
  std::string buffer_;
  std::atomic<bool> interrupted_{false};
};

}  // namespace warden::sdk

#endif  // WARDEN_SDK_SSE_CONNECTION_H_
