// Compares the findings a sweep just produced for a range of subjects with
// the stored ones and decides the writes: a new finding opens, a resolved
// one that came back reopens, an open or acknowledged one whose evidence or
// severity changed is updated, an acknowledgement past its expiry falls
// back to open, and a stored one the sweep no longer produces is resolved
// (only for the rules the sweep manages: a review's overdue finding is the
// review service's to resolve). Pure: no I/O, no clock.
#ifndef WARDEN_POSTURE_FINDING_RECONCILER_H_
#define WARDEN_POSTURE_FINDING_RECONCILER_H_

#include <functional>
#include <string>
#include <vector>

#include "posture/finding.h"
#include "store/posture_records.h"

namespace warden::posture {

struct FindingChanges {
  std::vector<FindingRecord> inserts;
  std::vector<FindingRecord> updates;  // version already bumped
  int64_t opened = 0;
  int64_t reopened = 0;
  int64_t resolved = 0;
  int64_t changed = 0;
};

// "rule|subject_key": a finding's fingerprint.
std::string Fingerprint(std::string_view rule, std::string_view subject_key);

// `new_id` makes ids for inserted findings. `managed` says which rules the
// caller's sweep owns.
FindingChanges Reconcile(const std::vector<Finding>& fresh,
                         const std::vector<FindingRecord>& stored,
                         const std::function<bool(std::string_view)>& managed,
                         const std::function<std::string()>& new_id,
                         Timestamp now);

// The stored form of a fresh finding, with the catalog's mappings.
FindingRecord NewRecord(const Finding& finding, std::string id, Timestamp now);

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_FINDING_RECONCILER_H_
