// The posture rules on what discovery saw outside the inventory: leaked
// secrets, unmanaged identities, discovered certificates close to expiry,
// ServiceAccounts bound to cluster-admin, stale cloud access keys and
// OAuth apps from unverified publishers. Pure functions of one
// observation, the policy and the time.
#ifndef WARDEN_POSTURE_OBSERVATION_FINDINGS_H_
#define WARDEN_POSTURE_OBSERVATION_FINDINGS_H_

#include <string>
#include <vector>

#include "posture/finding.h"
#include "posture/posture_policy.h"
#include "store/posture_records.h"

namespace warden::posture {

// "observation/<kind>/<key>": the subject key of an observation's findings.
std::string ObservationSubjectKey(const ObservationRecord& observation);

// `owner`: the owner of the identity the observation matched, or empty.
// Observations in state "gone" raise nothing.
std::vector<Finding> EvaluateObservation(const ObservationRecord& observation,
                                         const std::string& owner,
                                         const PosturePolicy& policy,
                                         Timestamp now);

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_OBSERVATION_FINDINGS_H_
