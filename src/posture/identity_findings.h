// The posture rules on one identity: pure functions of its facts, the
// policy and the time. Each returned finding names a catalog rule
// (finding_catalog.h); the rules on observations are apart
// (observation_findings.h).
//
// Revoked and expired identities are offboarded: no rule applies to them.
#ifndef WARDEN_POSTURE_IDENTITY_FINDINGS_H_
#define WARDEN_POSTURE_IDENTITY_FINDINGS_H_

#include <vector>

#include "posture/finding.h"
#include "posture/identity_facts.h"
#include "posture/posture_policy.h"

namespace warden::posture {

std::vector<Finding> EvaluateIdentity(const IdentityFacts& facts,
                                      const PosturePolicy& policy,
                                      Timestamp now);

// The subject key of a finding on something an identity holds (a
// certificate, a review item): "<identity id>/<kind>/<key>". It sorts
// right after the identity's own key, so a sweep's range of identity ids
// reads both.
std::string HeldSubjectKey(std::string_view identity_id, std::string_view kind,
                           std::string_view key);

// The maturity tests, also used by the rules identity-unjustified and
// revocation-path-unproven.
bool IsJustified(const IdentityFacts& facts, Timestamp now);
bool IsRevocable(const IdentityFacts& facts, const PosturePolicy& policy);

// The rules of lapsed exceptions: those `facts.identity` still needs
// (inventory's RequiredExceptions) whose last approved exception expired
// and that no live exception covers.
std::vector<std::string> LapsedExceptionRules(const IdentityFacts& facts,
                                              Timestamp now);

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_IDENTITY_FINDINGS_H_
