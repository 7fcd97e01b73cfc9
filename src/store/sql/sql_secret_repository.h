// SecretRepository in SQL (either store) (tables `secrets` and
// `secret_versions`, migration 5). Sealed bytes are stored as base64url text.
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_SECRET_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_SECRET_REPOSITORY_H_

#include "store/secret_repository.h"
#include "store/sql/repository_context.h"

namespace warden::sql {

class SqlSecretRepository final : public SecretRepository {
 public:
  explicit SqlSecretRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const SecretRecord& secret) override;
  Status Update(const SecretRecord& secret) override;
  Result<SecretRecord> Get(std::string_view id) override;
  Result<SecretRecord> GetByName(std::string_view name) override;
  Result<std::vector<SecretRecord>> List() override;
  Status InsertVersion(const SecretVersionRecord& version) override;
  Status UpdateVersion(const SecretVersionRecord& version) override;
  Result<std::vector<SecretVersionRecord>> ListVersions(
      std::string_view secret_id) override;
  Result<std::vector<SecretVersionRecord>> ListAllVersions() override;

 private:
  Result<SecretRecord> GetWhere(const char* column, std::string_view key);
  Result<SecretVersionRecord> DecodeVersion(const Statement& stmt) const;
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_SECRET_REPOSITORY_H_
