#include "oauth/usage_recorder.h"

#include <cstdio>

namespace warden::oauth {

UsageRecorder::UsageRecorder(Store& store, std::chrono::milliseconds period)
    : store_(store), flusher_(period, [this] { FlushAndLog(); }) {}

UsageRecorder::~UsageRecorder() { Stop(); }

void UsageRecorder::Stop() {
  if (flusher_.Stop()) (void)Flush();
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

void UsageRecorder::FlushAndLog() {
  const Status flushed = Flush();
  if (!flushed.ok()) {
    std::fprintf(stderr, "usage flush: %s\n", flushed.ToString().c_str());
  }
}

}  // namespace warden::oauth
