#include "service/periodic_task.h"

#include <utility>

namespace warden {

PeriodicTask::PeriodicTask(std::chrono::milliseconds period,
                           std::function<void()> tick)
    : tick_(std::move(tick)) {
  if (period.count() > 0) {
    thread_ = std::thread([this, period] { Run(period); });
  }
}

PeriodicTask::~PeriodicTask() { Stop(); }

bool PeriodicTask::Stop() {
  {
    MutexLock lock(mu_);
    if (stopping_) return false;
    stopping_ = true;
  }
  wake_.NotifyAll();
  if (thread_.joinable()) thread_.join();
  return true;
}

void PeriodicTask::Run(std::chrono::milliseconds period) {
  while (true) {
    {
      MutexLock lock(mu_);
      const auto deadline = std::chrono::steady_clock::now() + period;
      while (!stopping_) {
        if (!wake_.WaitUntil(mu_, deadline)) break;
      }
      if (stopping_) return;
    }
    tick_();
  }
}

}  // namespace warden
