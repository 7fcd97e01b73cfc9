// ChangeFeed: tells caches of authentication decisions which stored rows a
// durable commit changed, so a cached decision never outlives the row it was
// drawn from.
//
// What is published: a ChangeKey per changed row of the tables those caches
// read (an identity, its client credential and gating flags, an API token,
// a user), and per changed part of the state other replicas keep in memory
// (exposure sections, settings, the revocation state, signing keys), not
// the row itself. The store publishes after the commit is
// durable and before any writer of that commit is told its outcome: once a
// revocation call returns, no cache of this process serves the old row. A
// unit that was rolled back may still be published (over-invalidation is
// harmless; a missed one is not).
//
// Readers that fill a cache take generation() before their store read and
// insert only if it is unchanged afterwards (see InvalidatedCache): a commit
// that lands between the read and the insert is never papered over.
//
// A store shared by several processes publishes the other processes'
// changes here too: the PostgreSQL store's change follower does
// (store/postgres/pg_change_follower.h), from its own thread.
//
// Thread safety: every method from any thread. Listeners run on the
// publishing thread (the store's writer) under the feed's lock, so an
// Unsubscribe() that returned is never called again: a listener must be
// short and must not call back into the feed or the store.
#ifndef WARDEN_STORE_CHANGE_FEED_H_
#define WARDEN_STORE_CHANGE_FEED_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace warden {

// Names a changed row: "<kind>/<key>".
struct ChangeKey {
  static std::string Identity(std::string_view id) {
    return "identity/" + std::string(id);
  }
  static std::string ApiToken(std::string_view id) {
    return "api_token/" + std::string(id);
  }
  static std::string User(std::string_view name) {
    return "user/" + std::string(name);
  }
  // Stored exposure state a published configuration is built from: a
  // `section` of exposure/exposure_publisher.h ("flags" per environment;
  // "tenants", "segments", "limits", "gates" for every environment).
  static std::string Exposure(std::string_view section,
                              std::string_view environment = {}) {
    std::string key = "exposure/" + std::string(section);
    if (!environment.empty()) key += "/" + std::string(environment);
    return key;
  }
  static std::string Setting(std::string_view key) {
    return "setting/" + std::string(key);
  }
  static std::string RevocationState() { return "oauth/revocation"; }
  static std::string SigningKeys() { return "oauth/signing_keys"; }
  // Anything may have changed (a replica that missed pruned change-log
  // rows): every cache drops everything.
  static std::string Everything() { return "*"; }
};

class ChangeFeed {
 public:
  using Listener = std::function<void(std::span<const std::string> keys)>;
  using SubscriptionId = uint64_t;

  SubscriptionId Subscribe(Listener listener) WARDEN_EXCLUDES(mu_) {
    MutexLock lock(mu_);
    listeners_.push_back({++last_id_, std::move(listener)});
    return last_id_;
  }

  void Unsubscribe(SubscriptionId id) WARDEN_EXCLUDES(mu_) {
    MutexLock lock(mu_);
    std::erase_if(listeners_,
                  [id](const Subscription& s) { return s.id == id; });
  }

  // Bumps the generation first, then tells every listener.
  void Publish(std::span<const std::string> keys) WARDEN_EXCLUDES(mu_) {
    if (keys.empty()) return;
    generation_.fetch_add(1, std::memory_order_acq_rel);
    MutexLock lock(mu_);
    for (const Subscription& s : listeners_) s.listener(keys);
  }

  // Changes published so far: a cache fill compares it before and after
  // its read.
  uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }

 private:
  struct Subscription {
    SubscriptionId id;
    Listener listener;
  };
  Mutex mu_;
  std::vector<Subscription> listeners_ WARDEN_GUARDED_BY(mu_);
  SubscriptionId last_id_ WARDEN_GUARDED_BY(mu_) = 0;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace warden

#endif  // WARDEN_STORE_CHANGE_FEED_H_
