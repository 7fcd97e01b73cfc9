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
  MutexLock lock(mu_);
  ++count_;
  return Ticket(this);
}

void InFlightRequests::End() {
  MutexLock lock(mu_);
  if (--count_ == 0) idle_.NotifyAll();
}

bool InFlightRequests::WaitIdle(std::chrono::milliseconds timeout) {
  MutexLock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (count_ != 0) {
    if (!idle_.WaitUntil(mu_, deadline)) break;
  }
  return count_ == 0;
}

}  // namespace warden
