// EvaluationRecorder: batches "flag was evaluated" bookkeeping for the
// stale-flag rule. Evaluation paths (OFREP, bulk) call RecordEvaluations,
// which only inserts keys into an in-memory set under a short mutex (no
// I/O). A key already pending is usually recognised without the mutex: a
// small table of atomic key hashes remembers what was recorded since the
// last flush, so the hot path of a busy flag is one hash and one relaxed
// load (a hash collision between two keys in the same period can drop
// one key's bookkeeping until the next period; it never records a key
// that was not evaluated). Flush() writes every
// pending key's last_evaluated_at in one Store::Write. The server flushes
// on a timer (kEvaluationFlushPeriod) and at shutdown.
//
// Bookkeeping is not a change of configuration: no audit record, no version
// bump, no publish.
//
// Thread-safety: every method may be called from any thread.
#ifndef WARDEN_EXPOSURE_EVALUATION_RECORDER_H_
#define WARDEN_EXPOSURE_EVALUATION_RECORDER_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/store.h"

namespace warden::exposure {

inline constexpr std::chrono::seconds kEvaluationFlushPeriod{60};
// Distinct pending keys per environment; beyond it new keys wait for the
// next flush (bounds memory if clients probe random keys).
inline constexpr size_t kMaxPendingEvaluations = 100'000;
// Slots of the lock-free "recorded since the last flush" table, per
// environment (8 bytes each).
inline constexpr size_t kRecentEvaluationSlots = 1024;

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
  using RecentTable = std::array<std::atomic<uint64_t>, kRecentEvaluationSlots>;
  static uint64_t KeyHash(std::string_view flag_key);

  // Immutable after construction.
  Store& store_;
  const Clock& clock_;

  // Lock-free; 0 is an empty slot. Cleared by Flush() under mu_.
  std::array<RecentTable, 3> recent_{};

  Mutex mu_;
  std::array<std::set<std::string, std::less<>>, 3> pending_
      WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_EVALUATION_RECORDER_H_
