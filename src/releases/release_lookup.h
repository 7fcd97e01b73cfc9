// What the release services share to name and find a release (private to
// releases/).
#ifndef WARDEN_RELEASES_RELEASE_LOOKUP_H_
#define WARDEN_RELEASES_RELEASE_LOOKUP_H_

#include <string>
#include <string_view>

#include "store/store.h"

namespace warden::releases {

// The audit target of a release: "release/<id>".
std::string ReleaseTarget(std::string_view id);

// kNotFound "release \"<id>\" does not exist" for a missing id.
Result<ReleaseRecord> LoadRelease(Transaction& tx, std::string_view id);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_RELEASE_LOOKUP_H_
