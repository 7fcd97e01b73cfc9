// The small repositories of the SQLite store: teams (with their members in
// team_members), policy exceptions, users, API tokens and settings. Each is
// a plain mapping of one value type to one table; identities and the audit
// log, which carry more logic, have their own files.
//
// Thread safety: as the Transaction they belong to.
#ifndef WARDEN_STORE_SQLITE_SQLITE_REPOSITORIES_H_
#define WARDEN_STORE_SQLITE_SQLITE_REPOSITORIES_H_

#include "store/sqlite/repository_context.h"
#include "store/store.h"

namespace warden::sqlite {

class SqliteTeamRepository final : public TeamRepository {
 public:
  explicit SqliteTeamRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const Team& team) override;
  Status Update(const Team& team) override;
  Result<Team> Get(std::string_view name) override;
  Result<std::vector<Team>> List() override;
  Status Delete(std::string_view name) override;

 private:
  Status WriteMembers(const Team& team);
  Result<std::vector<std::string>> ReadMembers(const std::string& team);
  RepositoryContext& context_;
};

class SqlitePolicyExceptionRepository final : public PolicyExceptionRepository {
 public:
  explicit SqlitePolicyExceptionRepository(RepositoryContext& context)
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

class SqliteUserRepository final : public UserRepository {
 public:
  explicit SqliteUserRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const User& user) override;
  Status Update(const User& user) override;
  Result<User> Get(std::string_view name) override;
  Result<std::vector<User>> List() override;

 private:
  Result<User> Decode(const Statement& stmt) const;
  RepositoryContext& context_;
};

class SqliteApiTokenRepository final : public ApiTokenRepository {
 public:
  explicit SqliteApiTokenRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const ApiToken& token) override;
  Status Update(const ApiToken& token) override;
  Result<ApiToken> Get(std::string_view id) override;
  Result<ApiToken> GetBySecretHash(std::string_view secret_hash) override;
  Result<std::vector<ApiToken>> List() override;

 private:
  Result<ApiToken> GetWhere(const char* column, std::string_view key);
  Result<ApiToken> Decode(const Statement& stmt) const;
  RepositoryContext& context_;
};

class SqliteSettingsRepository final : public SettingsRepository {
 public:
  explicit SqliteSettingsRepository(RepositoryContext& context)
      : context_(context) {}
  Result<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_REPOSITORIES_H_
