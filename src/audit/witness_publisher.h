// Hands checkpoint lines to the external witnesses (audit_witness.h) on a
// thread of its own, so a slow witness (a network mount, a blocked pipe)
// never delays a commit. When the witnesses fall behind, only the newest
// line waits and older undelivered ones are dropped (counted in skipped()):
// every line stands alone, and the newest is the one that catches a
// truncated log. A failed append is logged on stderr and counted; the next
// line is tried again.
//
// Thread safety: Publish and Stop may be called from any thread.
#ifndef WARDEN_AUDIT_WITNESS_PUBLISHER_H_
#define WARDEN_AUDIT_WITNESS_PUBLISHER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_witness.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace warden {

class WitnessPublisher {
 public:
  // Starts the thread.
  explicit WitnessPublisher(
      std::vector<std::unique_ptr<AuditWitness>> witnesses);
  ~WitnessPublisher();  // Stop()
  WitnessPublisher(const WitnessPublisher&) = delete;
  WitnessPublisher& operator=(const WitnessPublisher&) = delete;

  // Queues `line` for every witness; never blocks on I/O.
  void Publish(std::string line);

  // Delivers the pending line, if any, then stops the thread. Idempotent;
  // Publish afterwards is ignored.
  void Stop();

  int64_t delivered() const { return delivered_.load(); }
  int64_t failures() const { return failures_.load(); }
  int64_t skipped() const { return skipped_.load(); }

 private:
  void Run();
  void Deliver(const std::string& line);

  // Used only by the thread.
  const std::vector<std::unique_ptr<AuditWitness>> witnesses_;

  Mutex mu_;
  CondVar wake_;  // pending_ set or stopping_
  std::optional<std::string> pending_ WARDEN_GUARDED_BY(mu_);
  bool stopping_ WARDEN_GUARDED_BY(mu_) = false;

  Mutex stop_mu_;  // serialises Stop()
  std::thread thread_;
  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> failures_{0};
  std::atomic<int64_t> skipped_{0};
};

}  // namespace warden

#endif  // WARDEN_AUDIT_WITNESS_PUBLISHER_H_
