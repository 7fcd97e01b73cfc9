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
// Memory: only the current revision is held in full (wire JSON and
// snapshot, whose unchanged sections the publisher shares between
// revisions). The history keeps, per revision, the change and its patch (the
// wire sections that changed), at most kHistory revisions and
// kHistoryPatchBytes of patch text; a revision published without a patch
// (the first one) cuts the history, since nothing before it can be patched
// across.
//
// Thread-safety: every method may be called from any thread. Current() is
// lock-free (atomic shared_ptr); Publish and Subscribe take a short mutex
// never held while calling subscribers.
#ifndef WARDEN_EXPOSURE_CONFIG_FEED_H_
#define WARDEN_EXPOSURE_CONFIG_FEED_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/vocabulary.h"
#include "eval/snapshot.h"
#include "exposure/wire_text.h"

namespace warden::exposure {

// One published state of one environment. Immutable once published.
struct PublishedConfig {
  Environment environment = Environment::kDevelopment;
  int64_t revision = 0;
  std::shared_ptr<const eval::Snapshot> snapshot;  // never null
  // The whole configuration as the SDK and the stream ship it (JSON text:
  // flags, tenants, segments, limits, revision), in pieces that unchanged
  // sections share with the previous revision (wire_text.h).
  WireText wire_json;
  // What changed to reach this revision, e.g. {"kind":"limit.set","id":...}
  // as JSON text; "" for the initial state.
  std::string change_json;
  std::string etag;  // strong ETag of wire_json, quoted
  // The top-level wire sections whose text differs from revision - 1, as a
  // JSON object, e.g. {"limits":[...]} ("{}" when none did); "" when this
  // revision cannot be reached by a patch (its base is unknown): clients
  // then need wire_json.
  std::string patch_json;
};

// One revision as the history keeps it: what a client at revision - 1
// needs to reach it. Immutable once recorded.
struct PublishedChange {
  int64_t revision = 0;
  std::string change_json;  // as PublishedConfig::change_json
  std::string patch_json;   // never ""
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

  // The changes with revision > `after`, oldest first, when the history
  // still holds all of them; nullopt when `after` is too old, ahead of the
  // current revision, or before a revision without a patch (then the
  // client needs the full state).
  std::optional<std::vector<std::shared_ptr<const PublishedChange>>>
  ChangesSince(Environment env, int64_t after) const;

  SubscriptionId Subscribe(Environment env, Listener listener);
  void Unsubscribe(SubscriptionId id);
  // Listeners of `env` now (publishers serve the busiest environment
  // first).
  size_t SubscriberCount(Environment env) const;

  static constexpr size_t kHistory = 256;
  // Bounds the history's memory when patches are large (a tenant change
  // ships every tenant): older revisions resume with the full state.
  static constexpr size_t kHistoryPatchBytes = 32 << 20;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_CONFIG_FEED_H_
