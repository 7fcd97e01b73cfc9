// ReplayCache: remembers the jti of each accepted client assertion until
// the assertion expires, so a captured assertion cannot be replayed
// (RFC 7523 section 3 item 7; OpenID Connect Core section 9).
//
// Memory is bounded: at most `max_entries` live entries. Expired entries are
// dropped on insert. When the cache is full of live entries, new assertions
// are refused (kResourceExhausted, "replay-cache-full") rather than evicting
// a live entry, which would reopen a replay window: failing closed is the
// safe choice, and max_entries * max assertion lifetime sets the sustained
// rate it supports (100k entries / 5 min = 333 assertions per second).
//
// Per-client quota: one client holds at most `max_per_client` live entries
// (kResourceExhausted, "replay-quota", beyond), so a client that mints
// assertions as fast as it may cannot fill the cache and lock every other
// private_key_jwt client out: filling it takes max_entries / max_per_client
// clients at quota. 1,000 live assertions is a sustained 3.3 token requests
// per second with 5-minute assertions (16/s with 1-minute ones); real
// clients cache their access tokens and ask far less often.
//
// With several server replicas each holds its own cache; a replay to another
// replica is caught only by a shared store (the service's concern).
//
// Thread-safety: all methods may be called concurrently (internal mutex,
// never held across anything but map operations).
#ifndef WARDEN_TOKENS_REPLAY_CACHE_H_
#define WARDEN_TOKENS_REPLAY_CACHE_H_

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"

namespace warden::tokens {

class ReplayCache {
 public:
  static constexpr size_t kDefaultMaxEntries = 100'000;
  static constexpr size_t kDefaultMaxEntriesPerClient = 1'000;
  // The retry hint of a quota refusal (an entry of the client expires
  // within the assertion lifetime; most much sooner).
  static constexpr std::chrono::seconds kQuotaRetryAfter{10};

  explicit ReplayCache(size_t max_entries = kDefaultMaxEntries,
                       size_t max_per_client = kDefaultMaxEntriesPerClient);

  ReplayCache(const ReplayCache&) = delete;
  ReplayCache& operator=(const ReplayCache&) = delete;

  // Records (client_id, jti) until `expires_at`. TokenFailure(kReplayed)
  // when the pair is already recorded and not expired; kResourceExhausted
  // (with a retry hint) when full or when the client is at its quota.
  // kInvalidArgument for an empty jti.
  Status CheckAndInsert(std::string_view client_id, std::string_view jti,
                        Timestamp expires_at, Timestamp now);

  size_t size() const;

 private:
  void EvictExpiredLocked(Timestamp now) WARDEN_REQUIRES(mu_);

  // Immutable after construction.
  const size_t max_entries_;
  const size_t max_per_client_;

  mutable Mutex mu_;
  // key -> expiry, and expiry -> key for eviction in expiry order.
  std::unordered_map<std::string, Timestamp> entries_ WARDEN_GUARDED_BY(mu_);
  std::multimap<Timestamp, std::string> by_expiry_ WARDEN_GUARDED_BY(mu_);
  std::unordered_map<std::string, size_t> per_client_ WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_REPLAY_CACHE_H_
