// Tenants' consents (opt-ins and notices) in SQL (either store): one row per
// (tenant, flag, kind) in `tenant_consents`, indexed both ways (a tenant's
// changelog reads by tenant, the evaluation overlay by flag).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_CONSENT_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_CONSENT_REPOSITORY_H_

#include <string>
#include <vector>

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlConsentRepository final : public ConsentRepository {
 public:
  explicit SqlConsentRepository(RepositoryContext& context)
      : context_(context) {}
  Status Put(const ConsentRecord& consent) override;
  Result<std::vector<ConsentRecord>> ListForTenant(
      std::string_view tenant_key) override;
  Result<std::vector<ConsentRecord>> ListForFlags(
      const std::vector<std::string>& flag_keys) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_CONSENT_REPOSITORY_H_
