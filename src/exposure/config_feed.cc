// Per environment: an atomic pointer for lock-free Current(), and a bounded
// history of patches for ChangesSince(), both replaced under one mutex by
// Publish.
// Listeners are copied out under the mutex and called after it is released,
// so a slow subscriber never blocks publishers or other readers.
#include "exposure/config_feed.h"

#include <array>
#include <deque>
#include <map>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "eval/snapshot_builder.h"

namespace warden::exposure {
namespace {

constexpr size_t kEnvironmentCount = 3;

size_t IndexOf(Environment env) { return static_cast<size_t>(env); }

std::shared_ptr<const PublishedConfig> EmptyConfig(Environment env) {
  auto config = std::make_shared<PublishedConfig>();
  config->environment = env;
  config->revision = 0;
  Result<std::shared_ptr<const eval::Snapshot>> snapshot =
      eval::SnapshotBuilder().Build(eval::EnvironmentConfig{});
  // An empty configuration always builds; keep the invariant "never null".
  if (snapshot.ok()) config->snapshot = *snapshot;
  config->wire_json = WireText(
      R"({"flags":{},"tenants":[],"segments":[],"limits":[],"gates":[],)"
      R"("revision":0})");
  config->etag = "\"r0\"";
  return config;
}

}  // namespace

struct ConfigFeed::State {
  // One environment's history and listeners, guarded by `mu` as a whole
  // (a nested type cannot name its owner's mutex).
  struct Channel {
    std::deque<std::shared_ptr<const PublishedChange>> history;
    size_t history_bytes = 0;
    std::map<SubscriptionId, Listener> listeners;

    void Record(const PublishedConfig& config) {
      if (config.patch_json.empty()) {
        history.clear();
        history_bytes = 0;
        return;
      }
      auto change = std::make_shared<PublishedChange>();
      change->revision = config.revision;
      change->change_json = config.change_json;
      change->patch_json = config.patch_json;
      history_bytes += change->patch_json.size();
      history.push_back(std::move(change));
      while (history.size() > kHistory || history_bytes > kHistoryPatchBytes) {
        history_bytes -= history.front()->patch_json.size();
        history.pop_front();
      }
    }
  };

  // Per environment: loaded lock-free by Current(), stored only under mu
  // (by Publish, together with the channel's history).
  std::array<std::atomic<std::shared_ptr<const PublishedConfig>>,
             kEnvironmentCount>
      current;

  mutable Mutex mu;
  std::array<Channel, kEnvironmentCount> channels WARDEN_GUARDED_BY(mu);
  std::map<SubscriptionId, Environment> subscriptions WARDEN_GUARDED_BY(mu);
  SubscriptionId next_id WARDEN_GUARDED_BY(mu) = 1;
};

ConfigFeed::ConfigFeed() : state_(std::make_unique<State>()) {
  for (Environment env : {Environment::kDevelopment, Environment::kStaging,
                          Environment::kProduction}) {
    state_->current[IndexOf(env)].store(EmptyConfig(env));
  }
}

ConfigFeed::~ConfigFeed() = default;

std::shared_ptr<const PublishedConfig> ConfigFeed::Current(
    Environment env) const {
  return state_->current[IndexOf(env)].load();
}

void ConfigFeed::Publish(Environment env,
                         std::shared_ptr<PublishedConfig> config) {
  std::vector<Listener> listeners;
  std::shared_ptr<const PublishedConfig> published;
  {
    MutexLock lock(state_->mu);
    State::Channel& channel = state_->channels[IndexOf(env)];
    std::atomic<std::shared_ptr<const PublishedConfig>>& current =
        state_->current[IndexOf(env)];
    config->environment = env;
    config->revision = current.load()->revision + 1;
    published = std::move(config);
    channel.Record(*published);
    current.store(published);
    for (const auto& [id, listener] : channel.listeners) {
      listeners.push_back(listener);
    }
  }
  for (const Listener& listener : listeners) listener(published);
}

std::optional<std::vector<std::shared_ptr<const PublishedChange>>>
ConfigFeed::ChangesSince(Environment env, int64_t after) const {
  MutexLock lock(state_->mu);
  const State::Channel& channel = state_->channels[IndexOf(env)];
  const int64_t current = state_->current[IndexOf(env)].load()->revision;
  if (after > current || after < 0) return std::nullopt;
  std::vector<std::shared_ptr<const PublishedChange>> changes;
  if (after == current) return changes;
  // The history holds consecutive revisions ending at `current` (or is
  // empty when the current one has no patch).
  if (channel.history.empty() ||
      channel.history.front()->revision > after + 1) {
    return std::nullopt;
  }
  for (const auto& config : channel.history) {
    if (config->revision > after) changes.push_back(config);
  }
  return changes;
}

ConfigFeed::SubscriptionId ConfigFeed::Subscribe(Environment env,
                                                 Listener listener) {
  MutexLock lock(state_->mu);
  const SubscriptionId id = state_->next_id++;
  state_->channels[IndexOf(env)].listeners.emplace(id, std::move(listener));
  state_->subscriptions.emplace(id, env);
  return id;
}

size_t ConfigFeed::SubscriberCount(Environment env) const {
  MutexLock lock(state_->mu);
  return state_->channels[IndexOf(env)].listeners.size();
}

void ConfigFeed::Unsubscribe(SubscriptionId id) {
  MutexLock lock(state_->mu);
  auto it = state_->subscriptions.find(id);
  if (it == state_->subscriptions.end()) return;
  state_->channels[IndexOf(it->second)].listeners.erase(id);
  state_->subscriptions.erase(it);
}

}  // namespace warden::exposure
