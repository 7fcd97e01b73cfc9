// Users' sign-in credentials on SQLite: one row of `user_credentials` each.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQLITE_SQLITE_USER_CREDENTIAL_REPOSITORY_H_
#define WARDEN_STORE_SQLITE_SQLITE_USER_CREDENTIAL_REPOSITORY_H_

#include "store/signin_records.h"
#include "store/sqlite/repository_context.h"

namespace warden::sqlite {

class SqliteUserCredentialRepository final : public UserCredentialRepository {
 public:
  explicit SqliteUserCredentialRepository(RepositoryContext& context)
      : context_(context) {}
  Result<UserCredential> Get(std::string_view user) override;
  Status Put(const UserCredential& credential) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_USER_CREDENTIAL_REPOSITORY_H_
