#include "releases/release_dependencies.h"

#include <algorithm>

namespace warden::releases {

Result<ReleaseDependencies> LoadDependencies(Transaction& tx,
                                             const ReleaseRecord& release) {
  ReleaseDependencies deps;
  for (const std::string& id : release.identities) {
    Result<Identity> identity = tx.identities().Get(id);
    if (identity.ok()) {
      deps.identities.push_back(std::move(*identity));
    } else if (identity.status().code() != StatusCode::kNotFound) {
      return identity.status();
    }
  }
  WARDEN_ASSIGN_OR_RETURN(std::vector<SecretRecord> secrets,
                          tx.secrets().List());
  for (SecretRecord& secret : secrets) {
    if (std::find(release.identities.begin(), release.identities.end(),
                  secret.identity_id) != release.identities.end()) {
      deps.secrets.push_back(std::move(secret));
    }
  }
  return deps;
}

}  // namespace warden::releases
