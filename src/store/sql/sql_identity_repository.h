// IdentityRepository in SQL (either store): the identities table (scopes as a
// JSON array of strings), keyset pagination by id, filters on indexes
// (identity_query.h).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_IDENTITY_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_IDENTITY_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlIdentityRepository final : public IdentityRepository {
 public:
  explicit SqlIdentityRepository(RepositoryContext& context)
      : context_(context) {}

  Status Insert(const Identity& identity) override;
  Status Update(const Identity& identity) override;
  Result<Identity> Get(std::string_view id) override;
  Result<Identity> GetByName(std::string_view name) override;
  Result<Page<Identity>> List(const IdentityFilter& filter,
                              const PageRequest& page) override;
  Result<int64_t> CountByOwner(std::string_view team) override;
  Result<std::vector<Identity>> ListExpiredActive(Timestamp now,
                                                  int limit) override;
  Status TouchLastUsed(std::string_view id, Timestamp at) override;
  Result<Identity> GetByExternalId(std::string_view external_id) override;
  Result<int64_t> Count(const IdentityFilter& filter) override;

  // Decodes a row selected with kIdentityColumns (other repositories that
  // select identities, e.g. the missing ones of drift, share it).
  Result<Identity> Decode(const Statement& stmt) const;

 private:
  Result<Identity> GetWhere(const char* column, std::string_view key);

  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_IDENTITY_REPOSITORY_H_
