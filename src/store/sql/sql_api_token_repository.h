// API tokens in SQL (either store): one row of `api_tokens` each, found by id
// or by the hash of its secret (the secret itself is never stored).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_API_TOKEN_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_API_TOKEN_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlApiTokenRepository final : public ApiTokenRepository {
 public:
  explicit SqlApiTokenRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const ApiToken& token) override;
  Status Update(const ApiToken& token) override;
  Result<ApiToken> Get(std::string_view id) override;
  Result<ApiToken> GetBySecretHash(std::string_view secret_hash) override;
  Result<std::vector<ApiToken>> List() override;
  Status TouchLastUsed(std::string_view id, Timestamp at) override;

 private:
  Result<ApiToken> GetWhere(const char* column, std::string_view key);
  Result<ApiToken> Decode(const Statement& stmt) const;
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_API_TOKEN_REPOSITORY_H_
