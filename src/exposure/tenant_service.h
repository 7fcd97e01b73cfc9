// Tenants (customer accounts): register, update, list. A tenant's account
// manager must be a registered Warden user. Every change is one audited
// Store::Write, then every environment is republished (tenants are shared
// by all environments). Thread-safe.
#ifndef WARDEN_EXPOSURE_TENANT_SERVICE_H_
#define WARDEN_EXPOSURE_TENANT_SERVICE_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "exposure/exposure_publisher.h"
#include "service/auditor.h"

namespace warden::exposure {

// Longest integration list per tenant: real accounts use a handful.
inline constexpr size_t kMaxTenantIntegrations = 256;

struct TenantPatch {
  std::optional<std::string> name;
  std::optional<std::string> account_manager;
  std::optional<boost::json::object> attributes;         // replaces all
  std::optional<std::vector<std::string>> integrations;  // replaces all
  std::optional<int64_t> expected_version;
};

class TenantService {
 public:
  TenantService(Store& store, Auditor& auditor, ExposurePublisher& publisher)
      : store_(store), auditor_(auditor), publisher_(publisher) {}

  // `tenant.attributes_json` must hold a JSON object. Errors:
  // kInvalidArgument (validation-failed), kFailedPrecondition
  // ("unknown-user" for the account manager), kAlreadyExists.
  Result<TenantRecord> Create(const Caller& caller, TenantRecord tenant);
  Result<TenantRecord> Get(const Caller& caller, std::string_view key);
  Result<std::vector<TenantRecord>> List(const Caller& caller);
  // One page in key order (the console's tenant table at 100,000 tenants).
  Result<Page<TenantRecord>> ListPage(const Caller& caller,
                                      const TenantFilter& filter,
                                      const PageRequest& page);
  Result<TenantRecord> Update(const Caller& caller, std::string_view key,
                              const TenantPatch& patch);

 private:
  Store& store_;
  Auditor& auditor_;
  ExposurePublisher& publisher_;
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_TENANT_SERVICE_H_
