// StoreCensus: counts of stored state that /metrics reports as gauges:
// identities by status and risk tier, active exposure limits by scope, and
// when the cluster's current signing key began signing.
//
// They are read from the store, not counted from this process's own
// writes: replicas sharing one PostgreSQL database each see every
// replica's changes (and the expiry sweep's, and a restore's), so each
// reports the same figures and a per-process tally cannot drift. The read
// is one snapshot: a count per status and one per risk tier
// (IdentityRepository::Count, each answered from an index alone: about
// 0.1 s at 100,000 identities, where a count per (status, tier) pair visits
// the rows and took 4.5 s), the active limits and the signing keys (a few
// rows each); it is cached for `max_age`, so a process answers it at most once
// per max_age however many scrapers ask, and a scrape between refreshes costs
// no store read. The figures are then up to max_age old
// (warden_census_age_seconds says how old; docs/PERFORMANCE.md has the
// cost at 100,000 identities).
//
// Thread-safety: every method may be called from any thread. No lock is
// held during the store read; scrapes that arrive during a refresh get the
// previous counts (or, before the first, read too).
#ifndef WARDEN_SERVER_STORE_CENSUS_H_
#define WARDEN_SERVER_STORE_CENSUS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "http/metrics.h"
#include "store/store.h"

namespace warden::server {

// How long census counts are reused: a scrape interval (15 s is
// Prometheus's common choice) or two, so even several scrapers and
// replicas cost one query per process per interval.
inline constexpr std::chrono::seconds kCensusMaxAge{15};

struct CensusCounts {
  // Status name -> identities, and risk tier name -> identities; every
  // status and tier, 0 when empty.
  std::map<std::string, int64_t> by_status;
  std::map<std::string, int64_t> by_risk_tier;
  // Scope name -> limits not lifted; every scope, 0 when none.
  std::map<std::string, int64_t> active_limits;
  // When the stored current signing key became current (nullopt: none).
  std::optional<Timestamp> signing_key_since;
  Timestamp taken_at{};
};

class StoreCensus {
 public:
  // `store` and `clock` are borrowed and must outlive the census.
  StoreCensus(Store& store, const Clock& clock,
              std::chrono::milliseconds max_age = kCensusMaxAge)
      : store_(store), clock_(clock), max_age_(max_age) {}

  // Counts no older than max_age (read now when the cache is older), or
  // the previous counts while another thread refreshes them. The store's
  // error when it cannot answer and nothing was cached yet; after a failed
  // refresh the previous counts are kept (their age shows it).
  Result<std::shared_ptr<const CensusCounts>> Get() WARDEN_EXCLUDES(mu_);

  // A MetricsCollector: warden_identities_by_status, _by_risk_tier,
  // warden_exposure_limits_active,
  // warden_signing_key_age_seconds and warden_census_age_seconds (nothing
  // when the store never answered).
  void Collect(MetricsWriter& out) WARDEN_EXCLUDES(mu_);

 private:
  Result<std::shared_ptr<const CensusCounts>> Read() const;

  // Immutable after construction.
  Store& store_;
  const Clock& clock_;
  const std::chrono::milliseconds max_age_;

  Mutex mu_;
  std::shared_ptr<const CensusCounts> cached_ WARDEN_GUARDED_BY(mu_);
  bool refreshing_ WARDEN_GUARDED_BY(mu_) = false;
};

}  // namespace warden::server

#endif  // WARDEN_SERVER_STORE_CENSUS_H_
