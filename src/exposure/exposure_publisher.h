// ExposurePublisher: turns the stored exposure state of an environment
// (flags, tenants, segments, active limits) into an eval::EnvironmentConfig,
// compiles it with eval::SnapshotBuilder and publishes it into the
// ConfigFeed, with the wire JSON the stream and SDKs ship.
//
// The services call Publish* after each committed change, naming the
// sections it touched. Publishes are serialised by a mutex and reload the
// named sections (and what depends on them) from the store, keeping the
// rest of the environment as last published, so a kill switch does not
// reload 100,000 tenants. Each committed change is published by its own
// call, so once every writer's call has returned the feed holds every
// change; in between, a publish shows the sections it reloaded as of its
// read (another writer's change to other sections appears with that
// writer's own publish). Each publish also records
// the top-level wire sections whose text changed (PublishedConfig::
// patch_json), which the stream ships instead of the whole configuration.
//
// Sharing: a publish links the new snapshot from the previous one's
// sections (eval::SnapshotBuilder::Link), replacing only the reloaded
// ones, and keeps the wire text per section (WireText), so a kill switch
// neither copies nor recompiles the tenants and segments. Tenants and
// segments are the same in every environment: a reload that reads what
// another environment last compiled shares that table and its text, so
// 100,000 tenants are held once, not once per environment.
// Also used inside write units to validate a change against the whole
// environment before it commits (ValidateInTransaction).
//
// Thread-safety: every method may be called from any thread.
#ifndef WARDEN_EXPOSURE_EXPOSURE_PUBLISHER_H_
#define WARDEN_EXPOSURE_EXPOSURE_PUBLISHER_H_

#include <array>
#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "eval/environment_config.h"
#include "eval/limits.h"
#include "eval/snapshot_sections.h"
#include "exposure/config_feed.h"
#include "store/store.h"

namespace warden::exposure {

// Every environment, in a fixed order (they exist from the first start).
inline constexpr Environment kAllEnvironments[] = {
    Environment::kDevelopment, Environment::kStaging, Environment::kProduction};

// Settings keys of an environment's flagd flag-set data.
std::string EvaluatorsSettingKey(Environment env);
std::string FlagSetMetadataSettingKey(Environment env);

// Which parts of an environment's stored exposure state a change touched
// (a bit set). Publish widens it by what depends on each part: flags ->
// limits (a limit's flag list is cut to the environment's flags); tenants
// -> segments (conservatively: membership rules read tenant attributes).
// kAll: everything (startup, or a caller that cannot tell).
enum class ExposureSection : uint8_t {
  kFlags = 1 << 0,  // flags, $evaluators and metadata
  kTenants = 1 << 1,
  kSegments = 1 << 2,
  kLimits = 1 << 3,
  kGates = 1 << 4,  // release gates (GateLoader)
  kAll = 0x1f,
};

constexpr ExposureSection operator|(ExposureSection a, ExposureSection b) {
  return static_cast<ExposureSection>(static_cast<uint8_t>(a) |
                                      static_cast<uint8_t>(b));
}
constexpr bool Contains(ExposureSection set, ExposureSection part) {
  return (static_cast<uint8_t>(set) & static_cast<uint8_t>(part)) != 0;
}

// Loads an environment's release gates inside a read. Supplied by the
// releases domain, which decides them (exposure depends on no domain above
// it); without one, an environment has no gates.
using GateLoader = std::function<Result<std::vector<eval::ReleaseGate>>(
    Transaction&, Environment)>;

class ExposurePublisher {
 public:
  // `clock` (null: the system's) stamps each publish (PublishState).
  ExposurePublisher(Store& store, ConfigFeed& feed,
                    eval::EvalLimits limits = {}, const Clock* clock = nullptr)
      : store_(store),
        feed_(feed),
        limits_(limits),
        clock_(clock != nullptr ? *clock : system_clock_) {}

  // Set once, before the first publish that should carry gates.
  void SetGateLoader(GateLoader loader);

  // Reloads `sections` of `env` (everything on the first publish of `env`
  // or after a failed one), compiles and publishes it with `change` as
  // change_json and the changed wire sections as patch_json. On failure
  // the feed keeps the previous configuration.
  Status Publish(Environment env, const boost::json::object& change,
                 ExposureSection sections = ExposureSection::kAll);
  // Publish for every environment; returns the first error.
  Status PublishAll(const boost::json::object& change,
                    ExposureSection sections = ExposureSection::kAll);

  // The environment as stored. `with_members`: include tenants and segment
  // members (publishing); without them (validation) the load stays cheap
  // however many tenants exist.
  static Result<eval::EnvironmentConfig> Load(Transaction& tx, Environment env,
                                              bool with_members);

  // Inside a write unit, after the change: fails with the builder's error
  // (naming the offending path) when `env` would no longer compile.
  Status ValidateInTransaction(Transaction& tx, Environment env) const;

  // The top-level sections of the wire JSON, in the order they appear
  // after "environment" and "revision".
  static constexpr std::array<const char*, 7> kWireSections = {
      "flags",    "$evaluators", "metadata", "tenants",
      "segments", "limits",      "gates"};

  ConfigFeed& feed() { return feed_; }
  const eval::EvalLimits& limits() const { return limits_; }

  // Whether the feed of `env` holds what the store held at its last
  // publish: false before the first publish and after a failed one, until
  // one succeeds (a committed change the feed does not show). And when the
  // feed's current revision was published (the epoch before the first).
  // For readiness and /metrics; lock-free.
  struct PublishState {
    bool in_sync = false;
    Timestamp published_at;
  };
  PublishState State(Environment env) const;

 private:
  // Immutable after construction.
  Store& store_;
  ConfigFeed& feed_;
  const eval::EvalLimits limits_;
  const SystemClock system_clock_{};  // clock_ when none was given
  const Clock& clock_;
  // Per Environment: PublishState, written under publish_mu_ after each
  // publish, read without it.
  std::array<std::atomic<bool>, std::size(kAllEnvironments)> in_sync_{};
  std::array<std::atomic<int64_t>, std::size(kAllEnvironments)>
      published_at_us_{};
  // What this publisher last published for one environment: the base an
  // incremental publish starts from.
  struct Published {
    std::shared_ptr<const eval::Snapshot> snapshot;  // null: reload all
    // Each wire section as it sits in the wire JSON (`,"name":text`),
    // shared with the PublishedConfig::wire_json of that revision.
    std::array<WireText::Piece, kWireSections.size()> wire_sections;
    // SHA-256 (hex) of each wire section: the ETag is a digest of these,
    // so a change hashes only the sections it reloaded.
    std::array<std::string, kWireSections.size()> section_digests;
    int64_t revision = 0;
  };
  // The last tenant or segment table compiled by any environment, with
  // its wire section and digest.
  template <typename Table>
  struct SharedSection {
    std::shared_ptr<const Table> table;
    WireText::Piece piece;
    std::string digest;
  };

  // `last` is an element of published_.
  Status PublishLocked(Environment env, const boost::json::object& change,
                       ExposureSection sections, Published& last)
      WARDEN_REQUIRES(publish_mu_);
  // Moves the `reload`ed parts of `loaded` into `next` (compiling tenant
  // and segment tables, or sharing the last ones when equal) and their wire
  // text and digests into `pieces` and `digests`.
  Status ReplaceSections(
      ExposureSection reload, eval::EnvironmentConfig& loaded,
      eval::SnapshotSections& next,
      std::array<WireText::Piece, kWireSections.size()>& pieces,
      std::array<std::string, kWireSections.size()>& digests)
      WARDEN_REQUIRES(publish_mu_);

  Mutex publish_mu_;  // serialises load + build + publish
  GateLoader gate_loader_ WARDEN_GUARDED_BY(publish_mu_);
  // Indexed by Environment.
  std::array<Published, std::size(kAllEnvironments)> published_
      WARDEN_GUARDED_BY(publish_mu_);
  SharedSection<eval::TenantTable> shared_tenants_
      WARDEN_GUARDED_BY(publish_mu_);
  SharedSection<eval::SegmentTable> shared_segments_
      WARDEN_GUARDED_BY(publish_mu_);
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_EXPOSURE_PUBLISHER_H_
