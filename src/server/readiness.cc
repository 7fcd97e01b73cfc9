#include "server/readiness.h"

#include <fmt/format.h>

#include <chrono>
#include <string>

#include "core/vocabulary.h"

namespace warden::server {
namespace {

// Any key: a missing row answers as fast as a present one, and the read
// goes through the same pool, snapshot and connection as every request's.
constexpr char kProbeSettingKey[] = "readiness/probe";

HealthCheck CheckStore(Store& store) {
  if (!store.Healthy()) {
    return {"store", false, "the last commit failed or the store is closed"};
  }
  const Status read = store.Read([](Transaction& tx) -> Status {
    return tx.settings().Get(kProbeSettingKey).status();
  });
  if (!read.ok()) {
    // /readyz is public: the code, not the message (which names files).
    return {"store", false,
            "a read failed (" + std::string(StatusCodeName(read.code())) + ")"};
  }
  return {"store", true, "commits and reads succeed"};
}

HealthCheck CheckSigningKeys(
    const std::unique_ptr<oauth::AuthorizationServer>& oauth,
    const Clock& clock) {
  if (!oauth) return {"signing_keys", false, "the OAuth server is starting"};
  const tokens::SigningKeyRing& ring = oauth->keys().ring();
  std::shared_ptr<const tokens::PublishedKeys> keys = ring.Published();
  if (!keys || !keys->current) {
    return {"signing_keys", false, "no current signing key is loaded"};
  }
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(
      clock.Now() - keys->current_since);
  const auto limit = kOverdueRotationFactor * ring.policy().rotation_period;
  if (age > limit) {
    return {"signing_keys", false,
            fmt::format("the current signing key is {}s old, past {}s "
                        "(rotation keeps failing)",
                        age.count(), limit.count())};
  }
  return {"signing_keys", true,
          fmt::format("current signing key {}s old", age.count())};
}

HealthCheck CheckSnapshot(const exposure::ExposurePublisher& publisher) {
  std::string stale;
  for (Environment env : exposure::kAllEnvironments) {
    if (publisher.State(env).in_sync) continue;
    stale += (stale.empty() ? "" : ", ") + std::string(Name(env));
  }
  if (!stale.empty()) {
    return {"snapshot", false,
            "the published configuration of " + stale +
                " is behind the store (its last publish failed)"};
  }
  return {"snapshot", true, "every environment's configuration is current"};
}

}  // namespace

std::vector<HealthCheck> CheckReadiness(const ReadinessSources& sources) {
  return {CheckStore(sources.store),
          CheckSigningKeys(sources.oauth, sources.clock),
          CheckSnapshot(sources.publisher)};
}

}  // namespace warden::server
