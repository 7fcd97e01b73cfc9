// What a release depends on, loaded once per decision: its identities (as
// stored now) and the secrets they hold. Readiness, the runbook and the
// reverse views all start from this.
#ifndef WARDEN_RELEASES_RELEASE_DEPENDENCIES_H_
#define WARDEN_RELEASES_RELEASE_DEPENDENCIES_H_

#include <vector>

#include "core/identity.h"
#include "store/store.h"

namespace warden::releases {

struct ReleaseDependencies {
  std::vector<Identity> identities;   // in the release's order
  std::vector<SecretRecord> secrets;  // held by those identities, by name
};

// Identities the release names but the store no longer has are skipped
// (readiness reports them through the runbook's dry run).
Result<ReleaseDependencies> LoadDependencies(Transaction& tx,
                                             const ReleaseRecord& release);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_RELEASE_DEPENDENCIES_H_
