#include "service/evaluation_recorder.h"

#include <vector>

#include "service/exposure_publisher.h"

namespace warden {

void EvaluationRecorder::RecordEvaluation(Environment env,
                                          std::string_view flag_key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& pending = pending_[static_cast<size_t>(env)];
  if (pending.size() >= kMaxPendingEvaluations) return;
  if (pending.find(flag_key) == pending.end()) pending.emplace(flag_key);
}

Status EvaluationRecorder::Flush() {
  std::array<std::vector<std::string>, 3> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].assign(pending_[i].begin(), pending_[i].end());
      pending_[i].clear();
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
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < batch.size(); ++i) {
    for (std::string& key : batch[i]) {
      if (pending_[i].size() < kMaxPendingEvaluations) {
        pending_[i].insert(std::move(key));
      }
    }
  }
  return status;
}

}  // namespace warden
