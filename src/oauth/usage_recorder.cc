#include "oauth/usage_recorder.h"

#include <cstdio>

namespace warden::oauth {

UsageRecorder::UsageRecorder(Store& store, std::chrono::milliseconds period)
    : store_(store) {
  if (period.count() > 0)
    flusher_ = std::thread([this, period] { Run(period); });
}

UsageRecorder::~UsageRecorder() { Stop(); }

void UsageRecorder::Stop() {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.NotifyAll();
  if (flusher_.joinable()) flusher_.join();
  (void)Flush();
}

void UsageRecorder::Note(std::string_view identity_id,
                         const std::vector<std::string>& scopes, Timestamp at) {
  MutexLock lock(mu_);
  Usage& usage = pending_[std::string(identity_id)];
  usage.last_used = std::max(usage.last_used, at);
  usage.scopes.insert(scopes.begin(), scopes.end());
}

Status UsageRecorder::Flush() {
  std::map<std::string, Usage> batch;
  {
    MutexLock lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return Status::Ok();
  return store_.Write([&](Transaction& tx) -> Status {
    for (const auto& [id, usage] : batch) {
      WARDEN_RETURN_IF_ERROR(
          tx.identities().TouchLastUsed(id, usage.last_used));
      std::vector<std::string> scopes(usage.scopes.begin(), usage.scopes.end());
      WARDEN_RETURN_IF_ERROR(
          tx.oauth().AddScopesUsed(id, scopes, usage.last_used));
    }
    return Status::Ok();
  });
}

void UsageRecorder::Run(std::chrono::milliseconds period) {
  while (true) {
    {
      MutexLock lock(mu_);
      const auto deadline = std::chrono::steady_clock::now() + period;
      while (!stopping_) {
        if (!wake_.WaitUntil(mu_, deadline)) break;
      }
      if (stopping_) return;
    }
    Status flushed = Flush();
    if (!flushed.ok()) {
      std::fprintf(stderr, "usage flush: %s\n", flushed.ToString().c_str());
    }
  }
}

}  // namespace warden::oauth
