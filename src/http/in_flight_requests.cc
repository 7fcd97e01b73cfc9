#include "http/in_flight_requests.h"

namespace warden {

InFlightRequests::Ticket& InFlightRequests::Ticket::operator=(
    Ticket&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    other.owner_ = nullptr;
  }
  return *this;
}

void InFlightRequests::Ticket::Release() {
  if (owner_ != nullptr) owner_->End();
  owner_ = nullptr;
}

InFlightRequests::Ticket InFlightRequests::Begin() {
  std::lock_guard<std::mutex> lock(mu_);
  ++count_;
  return Ticket(this);
}

void InFlightRequests::End() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--count_ == 0) idle_.notify_all();
}

bool InFlightRequests::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_.wait_for(lock, timeout, [this] { return count_ == 0; });
}

}  // namespace warden
