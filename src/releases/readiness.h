// Release readiness: the checks a release must pass before a stage that
// requires it (by default, every broad stage: past canary). A failed check
// blocks the advance with its detail.
//
//   identities.owner        every linked identity has an owning team
//   identities.expiry       ... an expiry in the future
//   identities.rotation     ... a rotation plan (secret-bearing kinds)
//   identities.revocation   ... a revocation path the runbook's dry run
//                           exercised
//   identities.scopes       ... granted scopes no wider than those it used
//                           (or an approved, unexpired exception of rule
//                           scopes_wider_than_used)
//   secrets.rotation        static secrets they hold have a rotation staged
//   runbook.dry_run         the rollback runbook is generated and its last
//                           dry run passed, after the release last changed
//   guardrails              no guardrail of the live stage is crossed
#ifndef WARDEN_RELEASES_READINESS_H_
#define WARDEN_RELEASES_READINESS_H_

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "store/store.h"

namespace warden::releases {

struct ReadinessCheck {
  std::string name;
  bool ok = false;
  std::string detail;
};

struct Readiness {
  bool ready = false;
  std::vector<ReadinessCheck> checks;

  // "name: detail" of every failed check.
  std::vector<std::string> FailureReasons() const;
};

Result<Readiness> EvaluateReadiness(Transaction& tx,
                                    const ReleaseRecord& release,
                                    Timestamp now);

boost::json::object ReadinessToJson(const Readiness& readiness);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_READINESS_H_
