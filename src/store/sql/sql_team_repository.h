// Teams in SQL (either store): `teams`, with their members in order as rows of
// `team_members` (position, member).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_TEAM_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_TEAM_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlTeamRepository final : public TeamRepository {
 public:
  explicit SqlTeamRepository(RepositoryContext& context) : context_(context) {}
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

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_TEAM_REPOSITORY_H_
