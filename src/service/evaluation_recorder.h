// EvaluationRecorder: batches "flag was evaluated" bookkeeping for the
// stale-flag rule. Evaluation paths (OFREP, bulk) call RecordEvaluations,
// which only inserts keys into an in-memory set under a short mutex (no I/O,
// and nothing at all for a key already pending); Flush() writes every
// pending key's last_evaluated_at in one Store::Write. The server flushes
// on a timer (kEvaluationFlushPeriod) and at shutdown.
//
// Bookkeeping is not a change of configuration: no audit record, no version
// bump, no publish.
//
// Thread-safety: every method may be called from any thread.
#ifndef WARDEN_SERVICE_EVALUATION_RECORDER_H_
#define WARDEN_SERVICE_EVALUATION_RECORDER_H_

#include <array>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "store/store.h"

namespace warden {

inline constexpr std::chrono::seconds kEvaluationFlushPeriod{60};
// Distinct pending keys per environment; beyond it new keys wait for the
// next flush (bounds memory if clients probe random keys).
inline constexpr size_t kMaxPendingEvaluations = 100'000;

class EvaluationRecorder {
 public:
  EvaluationRecorder(Store& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  void RecordEvaluation(Environment env, std::string_view flag_key);
  template <typename Keys>
  void RecordEvaluations(Environment env, const Keys& flag_keys) {
    for (const auto& key : flag_keys) RecordEvaluation(env, key);
  }

  // Writes and clears the pending keys (they stay pending on failure).
  Status Flush();

 private:
  Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  std::array<std::set<std::string, std::less<>>, 3> pending_;  // mu_
};

}  // namespace warden

#endif  // WARDEN_SERVICE_EVALUATION_RECORDER_H_
