// UsageRecorder: batched "last used" bookkeeping of identities for token
// issuance and introspection: last_used_at and the set of scopes used
// (identity_scope_usage), for later excessive-privilege findings.
//
// Note() only updates an in-memory map; Flush() writes everything noted
// since the last flush in one Store::Write, so the hot path never writes
// per call. A background thread flushes every `period`; the destructor
// stops it and flushes once more.
//
// Thread-safety: Note() and Flush() may be called concurrently.
#ifndef WARDEN_OAUTH_USAGE_RECORDER_H_
#define WARDEN_OAUTH_USAGE_RECORDER_H_

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "service/periodic_task.h"
#include "store/store.h"

namespace warden::oauth {

class UsageRecorder {
 public:
  // `period` zero: no background thread (tests flush by hand).
  UsageRecorder(Store& store, std::chrono::milliseconds period);
  ~UsageRecorder();
  UsageRecorder(const UsageRecorder&) = delete;
  UsageRecorder& operator=(const UsageRecorder&) = delete;

  void Note(std::string_view identity_id,
            const std::vector<std::string>& scopes, Timestamp at);
  Status Flush();
  // Stops the background thread after a last flush. Idempotent.
  void Stop();

 private:
  struct Usage {
    Timestamp last_used{};
    std::set<std::string> scopes;
  };
  void FlushAndLog();

  Store& store_;  // immutable after construction

  Mutex mu_;
  std::map<std::string, Usage> pending_ WARDEN_GUARDED_BY(mu_);

  PeriodicTask flusher_;  // last: its thread uses the members above
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_USAGE_RECORDER_H_
