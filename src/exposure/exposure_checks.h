// Field checks shared by the exposure services (private to service/).
#ifndef WARDEN_EXPOSURE_EXPOSURE_CHECKS_H_
#define WARDEN_EXPOSURE_EXPOSURE_CHECKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace warden::exposure {

inline constexpr size_t kMaxExposureKeyLength = 128;
inline constexpr size_t kMaxExposureText = 2000;

// Every entry a valid key ("field[i]: ..."); sorts and removes duplicates.
Status CheckKeyList(std::string_view field, std::vector<std::string>& keys,
                    size_t max_items);

// Empty, or a registered user (kFailedPrecondition "unknown-user").
Status CheckAccountManager(Transaction& tx, std::string_view user);

// Logs a failed publish of a committed change (the previous snapshot keeps
// serving until the next change republishes).
void ReportPublishFailure(std::string_view action, const Status& status);

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_EXPOSURE_CHECKS_H_
