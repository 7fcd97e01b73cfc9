// Counts requests being handled, so that a graceful stop can wait for them.
//
// A session takes a Ticket when a complete request has been read and drops
// it once the response is written (or the session dies). Stop() sets
// draining, after which sessions answer with "Connection: close", and waits
// for the count to reach zero or a deadline.
//
// Thread-safe.
#ifndef WARDEN_HTTP_IN_FLIGHT_REQUESTS_H_
#define WARDEN_HTTP_IN_FLIGHT_REQUESTS_H_

#include <atomic>
#include <chrono>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace warden {

class InFlightRequests {
 public:
  // Move-only RAII handle on one in-flight request.
  class Ticket {
   public:
    Ticket() = default;
    explicit Ticket(InFlightRequests* owner) : owner_(owner) {}
    Ticket(Ticket&& other) noexcept : owner_(other.owner_) {
      other.owner_ = nullptr;
    }
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { Release(); }
    void Release();

   private:
    InFlightRequests* owner_ = nullptr;
  };

  Ticket Begin();
  void StartDraining() { draining_ = true; }
  bool draining() const { return draining_; }
  // True when the count reached zero before `timeout`.
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  void End();

  std::atomic<bool> draining_{false};

  Mutex mu_;
  int count_ WARDEN_GUARDED_BY(mu_) = 0;
  CondVar idle_;  // count_ reached zero
};

}  // namespace warden

#endif  // WARDEN_HTTP_IN_FLIGHT_REQUESTS_H_
