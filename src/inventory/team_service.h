// Teams: the accountable owners of identities. Thread-safe.
#ifndef WARDEN_INVENTORY_TEAM_SERVICE_H_
#define WARDEN_INVENTORY_TEAM_SERVICE_H_

#include <string_view>
#include <vector>

#include "core/team.h"
#include "service/auditor.h"

namespace warden::inventory {

class TeamService {
 public:
  TeamService(Store& store, Auditor& auditor)
      : store_(store), auditor_(auditor) {}

  // Name: 1-63 of [a-z0-9-_.], starting alphanumeric. Members: unique user
  // names, at most 1000. kAlreadyExists if taken.
  Result<Team> Create(const Caller& caller, Team team);
  Result<Team> Get(const Caller& caller, std::string_view name);
  Result<std::vector<Team>> List(const Caller& caller);
  // Replaces the member list.
  Result<Team> SetMembers(const Caller& caller, std::string_view name,
                          std::vector<std::string> members);
  // kFailedPrecondition ("team-in-use") while it owns any identity.
  Status Delete(const Caller& caller, std::string_view name);

 private:
  Store& store_;
  Auditor& auditor_;
};

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_TEAM_SERVICE_H_
