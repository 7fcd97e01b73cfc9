// MaturityService: the three shares the seeds name, for everything or for
// one team, application or environment:
//   inventoried: observed identities (present observations of certificates,
//                ServiceAccounts, IAM users, OAuth grants) that match an
//                inventoried, non-draft identity;
//   justified:   identities with an approval, change record, review
//                decision or live exception (no open identity-unjustified);
//   revocable:   identities with an exercised or automatic revocation path
//                (no open revocation-path-unproven).
// Each share comes with its counts and a drill-down to what fails it; the
// history comes from the snapshots each sweep takes (everything and per
// team). Justified and revocable are as fresh as the last sweep;
// inventoried as the last scan.
//
// Thread safety: all methods may be called concurrently.
#ifndef WARDEN_POSTURE_MATURITY_SERVICE_H_
#define WARDEN_POSTURE_MATURITY_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "posture/finding_sweep.h"
#include "service/auditor.h"
#include "store/store.h"

namespace warden::posture {

struct MaturityScope {
  std::string team;
  std::string application;
  std::optional<Environment> environment;
};

// One failing entry of a drill-down.
struct MaturityGap {
  std::string kind;  // "identity" or "observation"
  std::string id;    // identity id, or "kind/key" of an observation
  std::string name;
  std::string owner;
  std::string finding_id;  // the finding that says so, when one does
};

struct MaturityShare {
  int64_t ok = 0;
  int64_t total = 0;
  double share = 1.0;                // ok / total; 1 when total is 0
  std::vector<MaturityGap> failing;  // the first `drill_down` entries
};

struct MaturityView {
  MaturityShare inventoried, justified, revocable;
  // Newest first; empty for application or environment scopes (snapshots
  // are kept for everything and per team).
  std::vector<MaturitySnapshotRecord> history;
};

class MaturityService {
 public:
  // `sweep` (borrowed) keeps the shares fresh.
  MaturityService(Auditor& auditor, FindingSweep& sweep);

  // `drill_down`: failing entries returned per share (0..100).
  Result<MaturityView> Get(const Caller& caller, const MaturityScope& scope,
                           int drill_down, int history);

 private:
  Auditor& auditor_;
  FindingSweep& sweep_;
};

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_MATURITY_SERVICE_H_
