// Users' sign-in credentials in SQL (either store): one row of
// `user_credentials` each.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_USER_CREDENTIAL_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_USER_CREDENTIAL_REPOSITORY_H_

#include "store/signin_records.h"
#include "store/sql/repository_context.h"

namespace warden::sql {

class SqlUserCredentialRepository final : public UserCredentialRepository {
 public:
  explicit SqlUserCredentialRepository(RepositoryContext& context)
      : context_(context) {}
  Result<UserCredential> Get(std::string_view user) override;
  Status Put(const UserCredential& credential) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_USER_CREDENTIAL_REPOSITORY_H_
