#include "exposure/exposure_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "service/field_checks.h"

namespace warden::exposure {

Status CheckKeyList(std::string_view field, std::vector<std::string>& keys,
                    size_t max_items) {
  if (keys.size() > max_items) {
    return FieldError(field, fmt::format("more than {} entries", max_items));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    WARDEN_RETURN_IF_ERROR(CheckName(fmt::format("{}[{}]", field, i), keys[i],
                                     kMaxExposureKeyLength));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return Status::Ok();
}

Status CheckAccountManager(Transaction& tx, std::string_view user) {
  if (user.empty()) return Status::Ok();
  Result<User> found = tx.users().Get(user);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found.status();
  }
  return FailedPrecondition(
      fmt::format("account_manager: user \"{}\" is not registered", user),
      "unknown-user");
}

void ReportPublishFailure(std::string_view action, const Status& status) {
  if (status.ok()) return;
  std::fprintf(stderr, "publish after %.*s: %s\n",
               static_cast<int>(action.size()), action.data(),
               status.ToString().c_str());
}

}  // namespace warden::exposure
