#include "store/sql/sql_team_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kTeamColumns[] = "name, created_at_us, updated_at_us";

// A team without its members (they live in team_members).
Team DecodeTeam(const Statement& s) {
  Team team;
  team.name = s.Text(0);
  team.created_at = FromMicros(s.Int(1));
  team.updated_at = FromMicros(s.Int(2));
  return team;
}

}  // namespace

Status SqlTeamRepository::Insert(const Team& team) {
  std::string context = "insert team " + Quoted(team.name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      std::string("INSERT INTO teams (") + kTeamColumns + ") VALUES (?, ?, ?)",
      context, team.name, ToMicros(team.created_at),
      ToMicros(team.updated_at)));
  return WriteMembers(team);
}

Status SqlTeamRepository::Update(const Team& team) {
  std::string context = "update team " + Quoted(team.name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "UPDATE teams SET created_at_us = ?, updated_at_us = ? "
              "WHERE name = ?",
              context, ToMicros(team.created_at), ToMicros(team.updated_at),
              team.name));
  WARDEN_RETURN_IF_ERROR(context_.RequireChanged("team " + Quoted(team.name)));
  WARDEN_RETURN_IF_ERROR(Execute(context_.connection,
                                 "DELETE FROM team_members WHERE team = ?",
                                 context, team.name));
  return WriteMembers(team);
}

Status SqlTeamRepository::WriteMembers(const Team& team) {
  std::string context = "write members of team " + Quoted(team.name);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          "INSERT INTO team_members (team, position, member) "
                          "VALUES (?, ?, ?)",
                          context));
  for (size_t i = 0; i < team.members.size(); ++i) {
    WARDEN_RETURN_IF_ERROR(Execute(stmt, context, team.name,
                                   static_cast<int64_t>(i), team.members[i]));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqlTeamRepository::ReadMembers(
    const std::string& team) {
  std::string context = "read members of team " + Quoted(team);
  return QueryRows(
      context_.connection,
      "SELECT member FROM team_members WHERE team = ? ORDER BY position",
      context, [](const Statement& s) { return s.Text(0); }, team);
}

Result<Team> SqlTeamRepository::Get(std::string_view name) {
  std::string context = "get team " + Quoted(name);
  WARDEN_ASSIGN_OR_RETURN(std::optional<Team> team,
                          QueryFirst(context_.connection,
                                     std::string("SELECT ") + kTeamColumns +
                                         " FROM teams WHERE name = ?",
                                     context, DecodeTeam, name));
  if (!team) return NotFound("team " + Quoted(name) + " not found");
  WARDEN_ASSIGN_OR_RETURN(team->members, ReadMembers(team->name));
  return std::move(*team);
}

Result<std::vector<Team>> SqlTeamRepository::List() {
  constexpr char kContext[] = "list teams";
  WARDEN_ASSIGN_OR_RETURN(std::vector<Team> teams,
                          QueryRows(context_.connection,
                                    std::string("SELECT ") + kTeamColumns +
                                        " FROM teams ORDER BY name",
                                    kContext, DecodeTeam));
  for (Team& team : teams) {
    WARDEN_ASSIGN_OR_RETURN(team.members, ReadMembers(team.name));
  }
  return teams;
}

Status SqlTeamRepository::Delete(std::string_view name) {
  std::string context = "delete team " + Quoted(name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  Status status = Execute(context_.connection,
                          "DELETE FROM teams WHERE name = ?", context, name);
  if (status.code() == StatusCode::kFailedPrecondition) {
    return FailedPrecondition(
        "team " + Quoted(name) + " still owns identities: " + status.message(),
        "team-in-use");
  }
  WARDEN_RETURN_IF_ERROR(status);
  return context_.RequireChanged("team " + Quoted(name));
}

}  // namespace warden::sql
