// DriftService: scan results against the inventory. A scan (source and
// target, e.g. "k8s" of "deploy/prod") is started, its observations are
// recorded in batches, and completing it marks "gone" what the same
// source and target saw before but not this time. Each observation is
// matched to an identity (by external id, then by name when the kinds
// agree) and compared with it, so the drift report has three lists:
//   unmanaged: seen, not inventoried;
//   missing:   inventoried with an external id, not seen (present);
//   changed:   seen and inventoried, but the facts differ.
// Unmanaged observations import as draft identities owned by the
// "unassigned" team; they become active once a real team owns them.
//
// Thread safety: all methods may be called concurrently.
#ifndef WARDEN_DISCOVERY_DRIFT_SERVICE_H_
#define WARDEN_DISCOVERY_DRIFT_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "discovery/observation.h"
#include "service/auditor.h"
#include "store/store.h"

namespace warden::discovery {

struct RecordResult {
  int64_t accepted = 0;
  int64_t matched = 0;
  int64_t unmanaged = 0;
  int64_t changed = 0;
};

enum class DriftKind { kUnmanaged, kMissing, kChanged };

struct DriftSummary {
  int64_t unmanaged = 0;
  int64_t missing = 0;
  int64_t changed = 0;
};

struct DriftPage {
  DriftSummary summary;
  std::vector<ObservationRecord> observations;  // unmanaged, changed
  std::vector<Identity> identities;             // missing
  std::optional<std::string> next_cursor;
};

struct ObservationRef {
  std::string kind;
  std::string key;
};

struct ImportRequest {
  std::vector<ObservationRef> observations;
  std::string owner;  // empty: the "unassigned" team
  Environment environment = Environment::kProduction;
};

// Bounds one import: each draft is one identity insert in one write unit.
inline constexpr size_t kMaxImportBatch = 500;

class DriftService {
 public:
  DriftService(Store& store, Auditor& auditor);

  // `source` is a scanner name ("certs", "tls", "k8s",
  // "aws-credential-report", "oauth-grants", "secrets").
  Result<ScanRunRecord> StartScan(const Caller& caller,
                                  const std::string& source,
                                  const std::string& target);
  // `scan_id` empty: an ad-hoc batch (`source`, `target` given) that marks
  // nothing gone.
  Result<RecordResult> Record(const Caller& caller, const std::string& scan_id,
                              const std::string& source,
                              const std::string& target,
                              const std::vector<Observation>& observations);
  Result<ScanRunRecord> CompleteScan(const Caller& caller,
                                     const std::string& scan_id,
                                     const std::vector<ScanIssue>& issues,
                                     int64_t issue_count);
  Result<std::vector<ScanRunRecord>> ListScans(const Caller& caller, int limit);
  Result<Page<ObservationRecord>> ListObservations(
      const Caller& caller, const ObservationFilter& filter,
      const PageRequest& page);
  Result<DriftPage> Drift(const Caller& caller, DriftKind kind,
                          const PageRequest& page);
  // Returns the drafts created. kFailedPrecondition "already-managed" for
  // an observation that already matches an identity.
  Result<std::vector<Identity>> Import(const Caller& caller,
                                       const ImportRequest& request);

 private:
  Store& store_;
  Auditor& auditor_;
};

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_DRIFT_SERVICE_H_
