#include "releases/release_lookup.h"

#include <fmt/format.h>

namespace warden::releases {

std::string ReleaseTarget(std::string_view id) {
  return fmt::format("release/{}", id);
}

Result<ReleaseRecord> LoadRelease(Transaction& tx, std::string_view id) {
  Result<ReleaseRecord> found = tx.releases().Get(id);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("release \"{}\" does not exist", id));
}

}  // namespace warden::releases
