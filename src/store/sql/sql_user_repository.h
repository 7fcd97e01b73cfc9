// Users in SQL (either store): one row of `users` each, keyed by name.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_USER_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_USER_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlUserRepository final : public UserRepository {
 public:
  explicit SqlUserRepository(RepositoryContext& context) : context_(context) {}
  Status Insert(const User& user) override;
  Status Update(const User& user) override;
  Result<User> Get(std::string_view name) override;
  Result<std::vector<User>> List() override;

 private:
  Result<User> Decode(const Statement& stmt) const;
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_USER_REPOSITORY_H_
