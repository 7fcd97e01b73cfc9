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

// When the key `kid` became current, as stored (nullopt: not stored).
Result<std::optional<Timestamp>> StoredSince(Store& store,
                                             const std::string& kid) {
  std::optional<Timestamp> since;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(std::vector<SigningKeyRecord> keys,
                            tx.oauth().ListSigningKeys());
    for (const SigningKeyRecord& key : keys) {
      if (key.kid == kid) since = key.activated_at.value_or(key.created_at);
    }
    return Status::Ok();
  }));
  return since;
}

HealthCheck CheckSigningKeys(
    Store& store, const std::unique_ptr<oauth::AuthorizationServer>& oauth,
    const Clock& clock) {
  if (!oauth) return {"signing_keys", false, "the OAuth server is starting"};
  const tokens::SigningKeyRing& ring = oauth->keys().ring();
  std::shared_ptr<const tokens::PublishedKeys> keys = ring.Published();
  if (!keys || !keys->current) {
    return {"signing_keys", false, "no current signing key is loaded"};
  }
  Result<std::optional<Timestamp>> since =
      StoredSince(store, keys->current->kid());
  if (!since.ok()) {
    return {"signing_keys", false,
            "the stored keys could not be read (" +
                std::string(StatusCodeName(since.status().code())) + ")"};
  }
  if (!since->has_value()) {
    return {"signing_keys", false,
            "the current signing key is no longer stored (this replica "
            "missed a rotation)"};
  }
  const auto age =
      std::chrono::duration_cast<std::chrono::seconds>(clock.Now() - **since);
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

HealthCheck CheckChanges(const ChangeFollowerHealth& follower,
                         const Clock& clock) {
  const std::optional<Timestamp> caught_up = follower.caught_up_at();
  if (!caught_up) {
    return {"changes", false, "the change log has not been read yet"};
  }
  const auto silence = std::chrono::duration_cast<std::chrono::seconds>(
      clock.Now() - *caught_up);
  if (silence > kMaxChangeFollowerSilence) {
    return {"changes", false,
            fmt::format("other replicas' changes last read {}s ago, past {}s",
                        silence.count(), kMaxChangeFollowerSilence.count())};
  }
  return {"changes", true,
          fmt::format("other replicas' changes read {}s ago", silence.count())};
}

std::vector<HealthCheck> CheckReadiness(const ReadinessSources& sources) {
  std::vector<HealthCheck> checks = {
      CheckStore(sources.store),
      CheckSigningKeys(sources.store, sources.oauth, sources.clock),
      CheckSnapshot(sources.publisher)};
  if (sources.follower != nullptr) {
    checks.push_back(CheckChanges(*sources.follower, sources.clock));
  }
  return checks;
}

}  // namespace warden::server
