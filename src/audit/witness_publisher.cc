#include "audit/witness_publisher.h"

#include <cstdio>

namespace warden {

WitnessPublisher::WitnessPublisher(
    std::vector<std::unique_ptr<AuditWitness>> witnesses)
    : witnesses_(std::move(witnesses)) {
  thread_ = std::thread([this] { Run(); });
}

WitnessPublisher::~WitnessPublisher() { Stop(); }

void WitnessPublisher::Publish(std::string line) {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    if (pending_) ++skipped_;
    pending_ = std::move(line);
  }
  wake_.NotifyOne();
}

void WitnessPublisher::Stop() {
  MutexLock stop_lock(stop_mu_);
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyOne();
  if (thread_.joinable()) thread_.join();
}

void WitnessPublisher::Run() {
  while (true) {
    std::string line;
    {
      MutexLock lock(mu_);
      while (!pending_ && !stopping_) wake_.Wait(mu_);
      if (!pending_) return;  // stopping, nothing left to deliver
      line = std::move(*pending_);
      pending_.reset();
    }
    Deliver(line);  // no lock held: witness I/O may be slow
  }
}

void WitnessPublisher::Deliver(const std::string& line) {
  for (const std::unique_ptr<AuditWitness>& witness : witnesses_) {
    const Status appended = witness->Append(line);
    if (appended.ok()) {
      ++delivered_;
      continue;
    }
    ++failures_;
    std::fprintf(stderr, "audit witness %s: %s\n", witness->name().c_str(),
                 appended.ToString().c_str());
  }
}

}  // namespace warden
