// Pending OpenID Connect logins on SQLite: one row of `oidc_logins` each,
// keyed by the SHA-256 of the `state` parameter.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQLITE_SQLITE_OIDC_LOGIN_REPOSITORY_H_
#define WARDEN_STORE_SQLITE_SQLITE_OIDC_LOGIN_REPOSITORY_H_

#include "store/signin_records.h"
#include "store/sqlite/repository_context.h"

namespace warden::sqlite {

class SqliteOidcLoginRepository final : public OidcLoginRepository {
 public:
  explicit SqliteOidcLoginRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const OidcLogin& login) override;
  Result<OidcLogin> Take(std::string_view state_hash) override;
  Result<int64_t> DeleteExpired(Timestamp now) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_OIDC_LOGIN_REPOSITORY_H_
