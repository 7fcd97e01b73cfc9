// Tenants in SQL (either store): `tenants`, with their integrations as rows of
// `tenant_integrations` (indexed both ways, so "which tenants use
// integration X" is an index range).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_TENANT_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_TENANT_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlTenantRepository final : public TenantRepository {
 public:
  explicit SqlTenantRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const TenantRecord& tenant) override;
  Status Update(const TenantRecord& tenant) override;
  Result<TenantRecord> Get(std::string_view key) override;
  Result<std::vector<TenantRecord>> List() override;
  Result<Page<TenantRecord>> ListPage(const TenantFilter& filter,
                                      const PageRequest& page) override;

 private:
  Status WriteIntegrations(const TenantRecord& tenant);
  // Every tenant's integrations in one ordered scan, appended to `tenants`
  // (sorted by key).
  Status ReadAllIntegrations(std::vector<TenantRecord>& tenants);
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_TENANT_REPOSITORY_H_
