#include "inventory/team_service.h"

#include <fmt/format.h>

#include <set>

#include "inventory/identity_rules.h"
#include "service/audited_write.h"
#include "service/field_checks.h"

namespace warden::inventory {
namespace {

constexpr size_t kMaxTeamNameLength = 63;
constexpr size_t kMaxTeamMembers = 1000;  // bounds one row and one request

bool IsTeamNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

Status CheckTeamName(std::string_view name) {
  if (name.empty()) return FieldError("name", "is required");
  if (name.size() > kMaxTeamNameLength) {
    return FieldError(
        "name", fmt::format("longer than {} characters", kMaxTeamNameLength));
  }
  const char first = name.front();
  if (!((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9'))) {
    return FieldError("name", "must start with a lower-case letter or digit");
  }
  for (char c : name) {
    if (!IsTeamNameChar(c)) {
      return FieldError("name", "may only contain a-z, 0-9, '-', '_' and '.'");
    }
  }
  return Status::Ok();
}

Status CheckMembers(const std::vector<std::string>& members) {
  if (members.size() > kMaxTeamMembers) {
    return FieldError("members",
                      fmt::format("more than {} entries", kMaxTeamMembers));
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < members.size(); ++i) {
    const std::string field = fmt::format("members[{}]", i);
    WARDEN_RETURN_IF_ERROR(CheckName(field, members[i], kMaxNameLength));
    if (!seen.insert(members[i]).second) {
      return FieldError(field,
                        fmt::format("duplicate member \"{}\"", members[i]));
    }
  }
  return Status::Ok();
}

std::string TeamTarget(std::string_view name) {
  return fmt::format("team/{}", name);
}

Status TeamNotFound(const Status& status, std::string_view name) {
  if (status.code() != StatusCode::kNotFound) return status;
  return NotFound(fmt::format("team \"{}\" does not exist", name));
}

Status TeamInUse(std::string_view name, int64_t owned) {
  return FailedPrecondition(
      fmt::format("team \"{}\" still owns {} identities; transfer or revoke "
                  "them first",
                  name, owned),
      "team-in-use");
}

}  // namespace

Result<Team> TeamService::Create(const Caller& caller, Team team) {
  AuditedWrite write(store_, auditor_, caller, "team.create",
                     TeamTarget(team.name), Permission::kTeamWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckTeamName(team.name));
    WARDEN_RETURN_IF_ERROR(CheckMembers(team.members));
    team.created_at = team.updated_at = write.now();
    const Status inserted = tx.teams().Insert(team);
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists(
          fmt::format("team \"{}\" already exists", team.name));
    }
    WARDEN_RETURN_IF_ERROR(inserted);
    return write.Record(tx, {{"members", team.members.size()}});
  });
  if (!status.ok()) return status;
  return team;
}

Result<Team> TeamService::Get(const Caller& caller, std::string_view name) {
  Team team;
  const Status status =
      auditor_.AuditedRead(caller, Permission::kTeamRead, "team.read",
                           TeamTarget(name), [&](Transaction& tx) -> Status {
                             Result<Team> found = tx.teams().Get(name);
                             if (!found.ok())
                               return TeamNotFound(found.status(), name);
                             team = std::move(found).value();
                             return Status::Ok();
                           });
  if (!status.ok()) return status;
  return team;
}

Result<std::vector<Team>> TeamService::List(const Caller& caller) {
  std::vector<Team> teams;
  const Status status =
      auditor_.AuditedRead(caller, Permission::kTeamRead, "team.list", "team",
                           [&](Transaction& tx) -> Status {
                             WARDEN_ASSIGN_OR_RETURN(teams, tx.teams().List());
                             return Status::Ok();
                           });
  if (!status.ok()) return status;
  return teams;
}

Result<Team> TeamService::SetMembers(const Caller& caller,
                                     std::string_view name,
                                     std::vector<std::string> members) {
  AuditedWrite write(store_, auditor_, caller, "team.set_members",
                     TeamTarget(name), Permission::kTeamWrite);
  Team team;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckMembers(members));
    Result<Team> found = tx.teams().Get(name);
    if (!found.ok()) return TeamNotFound(found.status(), name);
    team = std::move(found).value();
    team.members = members;
    team.updated_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.teams().Update(team));
    return write.Record(tx, {{"members", team.members.size()}});
  });
  if (!status.ok()) return status;
  return team;
}

Status TeamService::Delete(const Caller& caller, std::string_view name) {
  AuditedWrite write(store_, auditor_, caller, "team.delete", TeamTarget(name),
                     Permission::kTeamWrite);
  return write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    Result<Team> found = tx.teams().Get(name);
    if (!found.ok()) return TeamNotFound(found.status(), name);
    WARDEN_ASSIGN_OR_RETURN(const int64_t owned,
                            tx.identities().CountByOwner(name));
    if (owned > 0) return TeamInUse(name, owned);
    const Status deleted = tx.teams().Delete(name);
    if (deleted.code() == StatusCode::kFailedPrecondition) {
      return TeamInUse(name, owned);
    }
    WARDEN_RETURN_IF_ERROR(deleted);
    return write.Record(tx);
  });
}

}  // namespace warden::inventory
