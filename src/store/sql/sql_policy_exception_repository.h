// Policy exceptions in SQL (either store): one row of `policy_exceptions` each,
// listed in the order they were requested.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_POLICY_EXCEPTION_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_POLICY_EXCEPTION_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlPolicyExceptionRepository final : public PolicyExceptionRepository {
 public:
  explicit SqlPolicyExceptionRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const PolicyException& exception) override;
  Status Update(const PolicyException& exception) override;
  Result<PolicyException> Get(std::string_view id) override;
  Result<std::vector<PolicyException>> List(
      std::string_view identity_name) override;

 private:
  Result<PolicyException> Decode(const Statement& stmt) const;
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_POLICY_EXCEPTION_REPOSITORY_H_
