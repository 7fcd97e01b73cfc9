// Pending OpenID Connect logins in SQL (either store): one row of `oidc_logins`
// each, keyed by the SHA-256 of the `state` parameter.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_OIDC_LOGIN_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_OIDC_LOGIN_REPOSITORY_H_

#include "store/signin_records.h"
#include "store/sql/repository_context.h"

namespace warden::sql {

class SqlOidcLoginRepository final : public OidcLoginRepository {
 public:
  explicit SqlOidcLoginRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const OidcLogin& login) override;
  Result<OidcLogin> Take(std::string_view state_hash) override;
  Result<int64_t> DeleteExpired(Timestamp now) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_OIDC_LOGIN_REPOSITORY_H_
