// OAuthRepository in SQL (either store) (schema migration 4): client
// credentials, sealed signing keys, the one-row revocation document, gating
// flags and scope usage.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_OAUTH_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_OAUTH_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlOAuthRepository final : public OAuthRepository {
 public:
  explicit SqlOAuthRepository(RepositoryContext& context) : context_(context) {}

  Status PutClientCredential(const ClientCredentialRecord& record) override;
  Result<ClientCredentialRecord> GetClientCredential(
      std::string_view identity_id) override;
  Result<std::vector<SigningKeyRecord>> ListSigningKeys() override;
  Status ReplaceSigningKeys(const std::vector<SigningKeyRecord>& keys) override;
  Status RecordAssertionJti(std::string_view client_id, std::string_view jti,
                            Timestamp expires_at, Timestamp now) override;
  Result<std::optional<std::string>> GetRevocationState() override;
  Status PutRevocationState(std::string_view document) override;
  Result<std::vector<std::string>> GetGatingFlags(
      std::string_view identity_id) override;
  Result<std::vector<std::string>> ListIdentitiesGatedBy(
      std::string_view flag_key) override;
  Status SetGatingFlags(std::string_view identity_id,
                        const std::vector<std::string>& flag_keys) override;
  Status AddScopesUsed(std::string_view identity_id,
                       const std::vector<std::string>& scopes,
                       Timestamp at) override;
  Result<std::vector<ScopeUsageRecord>> ListScopesUsed(
      std::string_view identity_id) override;
  Result<std::vector<ScopeUsageRecord>> ListScopesUsedBetween(
      std::string_view after_id, std::string_view last_id) override;
  Result<std::vector<ClientCredentialRecord>> ListClientCredentialsBetween(
      std::string_view after_id, std::string_view last_id) override;

 private:
  Status InsertSigningKey(const SigningKeyRecord& key);
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_OAUTH_REPOSITORY_H_
