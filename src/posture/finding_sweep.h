// FindingSweep: evaluates every posture rule over the whole inventory and
// every observation, stores what changed, and takes a maturity snapshot.
//
// The sweep walks identities in id order, a page at a time: one read unit
// gathers a page's facts with range reads (scopes used, credentials,
// sightings, review decisions), the rules run outside any unit, and one
// write unit per page reconciles the page's findings with the stored ones
// and audits the change as one "posture.sweep" record. Memory is bounded
// by the page, not by the inventory. Observations follow the same way in
// (kind, key) order. Lapsed exceptions suspend their identity when the
// policy says so.
//
// Findings are as fresh as the last sweep. Readers call RunIfStale() so
// that what they read reflects recent changes without sweeping per read:
// a sweep is stale after max(kMinFreshness, 10 x the last sweep's
// duration), so a large inventory is swept at most a tenth of the time.
// The server also sweeps periodically (time alone makes findings: expiry,
// unused windows).
//
// Thread safety: Run() and RunIfStale() may be called from any thread;
// concurrent runs are serialised (the second waits for the first).
#ifndef WARDEN_POSTURE_FINDING_SWEEP_H_
#define WARDEN_POSTURE_FINDING_SWEEP_H_

#include <cstdint>
#include <map>
#include <string>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "inventory/inventory_service.h"
#include "posture/posture_policy.h"
#include "service/auditor.h"
#include "store/store.h"

namespace warden::posture {

struct MaturityCounts {
  int64_t identities = 0;  // neither revoked nor expired
  int64_t justified = 0;
  int64_t revocable = 0;
  int64_t observed = 0;     // present observations of identity kinds
  int64_t inventoried = 0;  // of those, matched to an active identity
};

struct SweepReport {
  int64_t identities = 0;
  int64_t observations = 0;
  int64_t opened = 0;
  int64_t reopened = 0;
  int64_t resolved = 0;
  int64_t changed = 0;
  int64_t suspended = 0;  // lapsed exceptions, when the policy says so
  MaturityCounts maturity;
  std::map<std::string, MaturityCounts> maturity_by_team;
  Timestamp finished_at{};
};

// Loads the stored policy (defaults when none is stored).
Result<PosturePolicy> LoadPolicy(Transaction& tx);

class FindingSweep {
 public:
  // `inventory` suspends identities with lapsed exceptions (borrowed).
  FindingSweep(Store& store, Auditor& auditor,
               inventory::InventoryService& inventory);

  Result<SweepReport> Run();
  // Runs a sweep when the last one is stale; OK without sweeping otherwise.
  Status RunIfStale();

 private:
  Result<SweepReport> RunLocked() WARDEN_REQUIRES(run_mu_);

  Store& store_;
  Auditor& auditor_;
  inventory::InventoryService& inventory_;
  Mutex run_mu_;  // one sweep at a time
  std::optional<Timestamp> last_finished_ WARDEN_GUARDED_BY(run_mu_);
  std::chrono::microseconds last_duration_ WARDEN_GUARDED_BY(run_mu_){0};
};

// The shortest time a sweep stays fresh.
inline constexpr std::chrono::seconds kMinFreshness{2};

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_FINDING_SWEEP_H_
