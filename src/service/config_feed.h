// ConfigFeed: the published exposure configuration of each environment, and
// the stream of changes to it. The exposure service publishes here after
// every committed change (flags, tenants, segments, exposure limits); OFREP
// reads Current() per request, and the SSE stream and the SDK follow
// changes by revision.
//
// Revisions are per environment, start at 1 on the first publish after
// start, and increase by one per published change. They are the SSE event
// ids: a client resuming with Last-Event-ID = r receives every change after
// r from the in-memory history (ChangesSince), or the full configuration
// when r is older than the history or from another server run.
//
// Thread-safety: every method may be called from any thread. Current() is
// lock-free (atomic shared_ptr); Publish and Subscribe take a short mutex
// never held while calling subscribers.
#ifndef WARDEN_SERVICE_CONFIG_FEED_H_
#define WARDEN_SERVICE_CONFIG_FEED_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/vocabulary.h"
#include "eval/snapshot.h"

namespace warden {

// One published state of one environment. Immutable once published.
struct PublishedConfig {
  Environment environment = Environment::kDevelopment;
  int64_t revision = 0;
  std::shared_ptr<const eval::Snapshot> snapshot;  // never null
  // The whole configuration as the SDK and the stream ship it (JSON text:
  // flags, tenants, segments, limits, revision). Built once per publish.
  std::string wire_json;
  // What changed to reach this revision, e.g. {"kind":"limit.set","id":...}
  // as JSON text; "" for the initial state.
  std::string change_json;
  std::string etag;  // strong ETag of wire_json, quoted
};

class ConfigFeed {
 public:
  using Listener = std::function<void(std::shared_ptr<const PublishedConfig>)>;
  using SubscriptionId = uint64_t;

  // Every environment starts with an empty configuration at revision 0.
  ConfigFeed();
  ~ConfigFeed();

  std::shared_ptr<const PublishedConfig> Current(Environment env) const;

  // Sets the next revision of `env` and notifies listeners (on the calling
  // thread, after the mutex is released). `config->revision` is assigned.
  void Publish(Environment env, std::shared_ptr<PublishedConfig> config);

  // Published configs with revision > `after` still held in history (the
  // last kHistory), oldest first; nullopt when `after` is too old or ahead
  // of the current revision (then the client needs the full state).
  std::optional<std::vector<std::shared_ptr<const PublishedConfig>>>
  ChangesSince(Environment env, int64_t after) const;

  SubscriptionId Subscribe(Environment env, Listener listener);
  void Unsubscribe(SubscriptionId id);

  static constexpr size_t kHistory = 256;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace warden

#endif  // WARDEN_SERVICE_CONFIG_FEED_H_
