// ConnectionLimit: the server's cap on open connections, request sessions
// and streams alike (each is a socket, buffers and, for a stream, a feed
// subscription). The listener takes a Slot per accepted connection; the
// session keeps it and hands it to the stream its connection becomes, so a
// slot is freed exactly when the socket closes.
//
// A connection over the cap is not dropped silently: up to
// kMaxRefusingConnections of them at a time get a refusal slot, long enough
// to read their request and answer 503 with Retry-After; beyond that they
// are closed at once (a flood must not turn refusals into a second
// unbounded set of connections).
//
// Thread-safety: TryAcquire() and open() may be called from any thread
// (one atomic). Must outlive every Slot.
#ifndef WARDEN_HTTP_CONNECTION_LIMIT_H_
#define WARDEN_HTTP_CONNECTION_LIMIT_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>

namespace warden {

// The stream cap (10,000) plus room for request connections; each
// connection costs a file descriptor and its read and write buffers.
inline constexpr size_t kDefaultMaxConnections = 12'000;
// The Retry-After of the 503 sent to a connection over the cap.
inline constexpr std::chrono::seconds kConnectionsFullRetryAfter{5};
// Connections over the cap being answered 503 at any one time.
inline constexpr size_t kMaxRefusingConnections = 64;

class ConnectionLimit {
 public:
  // Move-only RAII handle on one open connection; empty when
  // default-constructed (tests that build sessions by hand).
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : count_(other.count_) {
      other.count_ = nullptr;
    }
    Slot& operator=(Slot&& other) noexcept {
      if (this != &other) {
        Release();
        count_ = other.count_;
        other.count_ = nullptr;
      }
      return *this;
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { Release(); }

   private:
    friend class ConnectionLimit;
    explicit Slot(std::atomic<size_t>* count) : count_(count) {}
    void Release() {
      if (count_ != nullptr) count_->fetch_sub(1);
      count_ = nullptr;
    }
    std::atomic<size_t>* count_ = nullptr;
  };

  explicit ConnectionLimit(size_t max_connections)
      : max_connections_(max_connections) {}

  // A slot for a served connection, or nullopt when `max_connections` are
  // open.
  std::optional<Slot> TryAcquire() { return Take(open_, max_connections_); }
  // A slot for a connection over the cap that is to be answered 503, or
  // nullopt when kMaxRefusingConnections are being answered already.
  std::optional<Slot> TryAcquireRefusal() {
    return Take(refusing_, kMaxRefusingConnections);
  }

  size_t open() const { return open_.load(); }
  size_t max_connections() const { return max_connections_; }

 private:
  static std::optional<Slot> Take(std::atomic<size_t>& count, size_t max) {
    if (count.fetch_add(1) >= max) {
      count.fetch_sub(1);
      return std::nullopt;
    }
    return Slot(&count);
  }

  const size_t max_connections_;
  std::atomic<size_t> open_{0};
  std::atomic<size_t> refusing_{0};
};

}  // namespace warden

#endif  // WARDEN_HTTP_CONNECTION_LIMIT_H_
