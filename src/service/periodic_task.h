// PeriodicTask: a background thread that runs `tick` every `period` until
// Stop(), for the batching recorders (audit summaries, OAuth usage) that
// trade a bounded delay for one store write per period instead of one per
// call.
//
// A zero or negative period starts no thread (tests tick by hand). Stop()
// wakes the thread at once, waits for a running tick to finish and joins;
// it is idempotent, and the destructor calls it. `tick` runs without any
// lock of this object held and must not call Stop(). Stop() returns true
// only on its first call, so an owner's own Stop() can stay idempotent.
//
// Thread safety: Stop() may be called from any thread but the tick's own.
#ifndef WARDEN_SERVICE_PERIODIC_TASK_H_
#define WARDEN_SERVICE_PERIODIC_TASK_H_

#include <chrono>
#include <functional>
#include <thread>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace warden {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds period, std::function<void()> tick);
  ~PeriodicTask();  // Stop()
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  bool Stop();

 private:
  void Run(std::chrono::milliseconds period);

  const std::function<void()> tick_;
  Mutex mu_;
  bool stopping_ WARDEN_GUARDED_BY(mu_) = false;
  CondVar wake_;        // stopping_ set
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace warden

#endif  // WARDEN_SERVICE_PERIODIC_TASK_H_
