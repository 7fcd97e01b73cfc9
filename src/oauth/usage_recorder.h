// UsageRecorder: batched "last used" bookkeeping of identities for token
// issuance and introspection: last_used_at, the set of scopes used
// (identity_scope_usage) and the usage sightings (usage_sightings: which
// source networks, user agents and clients, at which hours), for the
// posture findings on excessive privilege, reuse and human use.
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
#include <tuple>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "service/periodic_task.h"
#include "store/store.h"

namespace warden::oauth {

// Where one use came from. All fields may be empty.
struct UsageSource {
  std::string remote;      // peer "ip:port"
  std::string user_agent;  // as sent; truncated when stored
  std::string client;      // e.g. "tenant:acme"
};

class UsageRecorder {
 public:
  // `period` zero: no background thread (tests flush by hand).
  UsageRecorder(Store& store, std::chrono::milliseconds period);
  ~UsageRecorder();
  UsageRecorder(const UsageRecorder&) = delete;
  UsageRecorder& operator=(const UsageRecorder&) = delete;

  void Note(std::string_view identity_id,
            const std::vector<std::string>& scopes, Timestamp at,
            const UsageSource& source = {});
  Status Flush();
  // Stops the background thread after a last flush. Idempotent.
  void Stop();

 private:
  struct Usage {
    Timestamp last_used{};
    std::set<std::string> scopes;
  };
  // (identity, network, user agent, client): one sighting row.
  using SightingKey =
      std::tuple<std::string, std::string, std::string, std::string>;
  void FlushAndLog();

  Store& store_;  // immutable after construction

  Mutex mu_;
  std::map<std::string, Usage> pending_ WARDEN_GUARDED_BY(mu_);
  std::map<SightingKey, UsageSightingRecord> sightings_ WARDEN_GUARDED_BY(mu_);

  PeriodicTask flusher_;  // last: its thread uses the members above
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_USAGE_RECORDER_H_
