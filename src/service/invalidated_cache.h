// InvalidatedCache: an in-memory cache of values drawn from stored rows
// (an authenticated principal, a client's identity and credential), dropped
// the moment the store publishes a change to any of those rows
// (store/change_feed.h), and in any case after `ttl`.
//
// Each entry carries tags: the ChangeKeys of the rows its value was drawn
// from. A published key evicts every entry tagged with it. A fill is
//
//   const uint64_t generation = cache.BeginFill();
//   ... read the rows from the store ...
//   cache.Insert(key, value, tags, generation, now);
//
// and Insert() drops the value when any change was published since
// BeginFill(): the read may predate it. So a cached value never outlives a
// committed change of its rows (beyond the instants between a commit and
// its publication, before the writer's caller is told).
//
// Bounded: past max_entries the cache is emptied (clients presenting many
// distinct credentials cost refills, not memory).
//
// Thread safety: every method from any thread. Values are shared and
// immutable.
#ifndef WARDEN_SERVICE_INVALIDATED_CACHE_H_
#define WARDEN_SERVICE_INVALIDATED_CACHE_H_

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/shared_mutex.h"
#include "core/thread_annotations.h"
#include "store/change_feed.h"

namespace warden {

template <typename Value>
class InvalidatedCache {
 public:
  // Subscribes to `feed` (borrowed; must outlive this) until destroyed.
  InvalidatedCache(ChangeFeed& feed, std::chrono::seconds ttl,
                   size_t max_entries)
      : feed_(feed), ttl_(ttl), max_entries_(max_entries) {
    subscription_ = feed_.Subscribe(
        [this](std::span<const std::string> keys) { Evict(keys); });
  }
  ~InvalidatedCache() { feed_.Unsubscribe(subscription_); }
  InvalidatedCache(const InvalidatedCache&) = delete;
  InvalidatedCache& operator=(const InvalidatedCache&) = delete;

  // The live value under `key`, or null.
  std::shared_ptr<const Value> Find(std::string_view key, Timestamp now) const
      WARDEN_EXCLUDES(mu_) {
    ReaderMutexLock lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.expires_at <= now) return nullptr;
    return it->second.value;
  }

  uint64_t BeginFill() const { return feed_.generation(); }

  // Caches `value` unless a change was published since `fill_generation`.
  void Insert(std::string key, std::shared_ptr<const Value> value,
              const std::vector<std::string>& tags, uint64_t fill_generation,
              Timestamp now) WARDEN_EXCLUDES(mu_) {
    WriterMutexLock lock(mu_);
    // Checked under the lock Evict() takes after the generation moved: a
    // change either fails this check or evicts the entry afterwards.
    if (feed_.generation() != fill_generation) return;
    if (entries_.size() >= max_entries_ ||
        keys_by_tag_.size() >= 4 * max_entries_) {
      entries_.clear();
      keys_by_tag_.clear();
    }
    for (const std::string& tag : tags) keys_by_tag_[tag].push_back(key);
    entries_.insert_or_assign(std::move(key),
                              Entry{std::move(value), now + ttl_});
  }

  // Drops every entry tagged with one of `keys` (all of them for
  // ChangeKey::Everything()).
  void Evict(std::span<const std::string> keys) WARDEN_EXCLUDES(mu_) {
    WriterMutexLock lock(mu_);
    for (const std::string& tag : keys) {
      if (tag == ChangeKey::Everything()) {
        entries_.clear();
        keys_by_tag_.clear();
        return;
      }
      auto listed = keys_by_tag_.find(tag);
      if (listed == keys_by_tag_.end()) continue;
      for (const std::string& key : listed->second) entries_.erase(key);
      keys_by_tag_.erase(listed);
    }
  }

  size_t size() const WARDEN_EXCLUDES(mu_) {
    ReaderMutexLock lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::shared_ptr<const Value> value;
    Timestamp expires_at;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };

  ChangeFeed& feed_;
  const std::chrono::seconds ttl_;
  const size_t max_entries_;
  ChangeFeed::SubscriptionId subscription_ = 0;  // set in the constructor

  mutable SharedMutex mu_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_
      WARDEN_GUARDED_BY(mu_);
  // Tag -> keys of the entries that carried it when inserted. May list a
  // key whose entry has since been replaced: evicting it then costs a
  // refill, never a stale answer.
  std::unordered_map<std::string, std::vector<std::string>, Hash,
                     std::equal_to<>>
      keys_by_tag_ WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden

#endif  // WARDEN_SERVICE_INVALIDATED_CACHE_H_
