#include "exposure/evaluation_recorder.h"

#include <functional>
#include <vector>

#include "exposure/exposure_publisher.h"

namespace warden::exposure {

uint64_t EvaluationRecorder::KeyHash(std::string_view flag_key) {
  const uint64_t h = std::hash<std::string_view>{}(flag_key);
  return h == 0 ? 1 : h;
}

void EvaluationRecorder::RecordEvaluation(Environment env,
                                          std::string_view flag_key) {
  const size_t e = static_cast<size_t>(env);
  const uint64_t h = KeyHash(flag_key);
  std::atomic<uint64_t>& slot = recent_[e][h % kRecentEvaluationSlots];
  if (slot.load(std::memory_order_relaxed) == h) return;
  MutexLock lock(mu_);
  auto& pending = pending_[e];
  if (pending.size() >= kMaxPendingEvaluations) return;
  if (pending.find(flag_key) == pending.end()) pending.emplace(flag_key);
  slot.store(h, std::memory_order_relaxed);
}

Status EvaluationRecorder::Flush() {
  std::array<std::vector<std::string>, 3> batch;
  {
    MutexLock lock(mu_);
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].assign(pending_[i].begin(), pending_[i].end());
      pending_[i].clear();
      // Under mu_, so no slot set for a key of this batch survives; a
      // racing lock-free reader at worst skips a key that is in the batch.
      for (auto& slot : recent_[i]) slot.store(0, std::memory_order_relaxed);
    }
  }
  const Timestamp now = clock_.Now();
  const Status status = store_.Write([&](Transaction& tx) -> Status {
    for (Environment env : kAllEnvironments) {
      const auto& keys = batch[static_cast<size_t>(env)];
      if (keys.empty()) continue;
      WARDEN_RETURN_IF_ERROR(tx.flags().TouchLastEvaluated(env, keys, now));
    }
    return Status::Ok();
  });
  if (status.ok()) return status;
  MutexLock lock(mu_);
  for (size_t i = 0; i < batch.size(); ++i) {
    for (std::string& key : batch[i]) {
      if (pending_[i].size() < kMaxPendingEvaluations) {
        pending_[i].insert(std::move(key));
      }
    }
  }
  return status;
}

}  // namespace warden::exposure
