// ExposurePublisher: turns the stored exposure state of an environment
// (flags, tenants, segments, active limits) into an eval::EnvironmentConfig,
// compiles it with eval::SnapshotBuilder and publishes it into the
// ConfigFeed, with the wire JSON the stream and SDKs ship.
//
// The services call Publish* after each committed change; publishes are
// serialised by a mutex and always reload from the store, so the feed
// follows commit order even when two writers race (the later publish sees
// both changes). Also used inside write units to validate a change against
// the whole environment before it commits (ValidateInTransaction).
//
// Thread-safety: every method may be called from any thread.
#ifndef WARDEN_SERVICE_EXPOSURE_PUBLISHER_H_
#define WARDEN_SERVICE_EXPOSURE_PUBLISHER_H_

#include <boost/json/object.hpp>
#include <mutex>
#include <string>

#include "core/status.h"
#include "eval/environment_config.h"
#include "eval/limits.h"
#include "service/config_feed.h"
#include "store/store.h"

namespace warden {

// Every environment, in a fixed order (they exist from the first start).
inline constexpr Environment kAllEnvironments[] = {
    Environment::kDevelopment, Environment::kStaging, Environment::kProduction};

// Settings keys of an environment's flagd flag-set data.
std::string EvaluatorsSettingKey(Environment env);
std::string FlagSetMetadataSettingKey(Environment env);

class ExposurePublisher {
 public:
  ExposurePublisher(Store& store, ConfigFeed& feed,
                    eval::EvalLimits limits = {})
      : store_(store), feed_(feed), limits_(limits) {}

  // Reloads `env`, compiles and publishes it with `change` as change_json.
  // On failure the feed keeps the previous configuration.
  Status Publish(Environment env, const boost::json::object& change);
  // Publish for every environment; returns the first error.
  Status PublishAll(const boost::json::object& change);

  // The environment as stored. `with_members`: include tenants and segment
  // members (publishing); without them (validation) the load stays cheap
  // however many tenants exist.
  static Result<eval::EnvironmentConfig> Load(Transaction& tx, Environment env,
                                              bool with_members);

  // Inside a write unit, after the change: fails with the builder's error
  // (naming the offending path) when `env` would no longer compile.
  Status ValidateInTransaction(Transaction& tx, Environment env) const;

  ConfigFeed& feed() { return feed_; }
  const eval::EvalLimits& limits() const { return limits_; }

 private:
  Store& store_;
  ConfigFeed& feed_;
  const eval::EvalLimits limits_;
  std::mutex publish_mu_;  // serialises load + build + publish
};

}  // namespace warden

#endif  // WARDEN_SERVICE_EXPOSURE_PUBLISHER_H_
