#include "store/sqlite/sqlite_repositories.h"

#include <string>

namespace warden::sqlite {
namespace {

// kNotFound naming `what` when the last UPDATE/DELETE touched no row.
Status RequireChanged(const Connection& connection, const std::string& what) {
  if (connection.Changes() > 0) return Status::Ok();
  return NotFound(what + " not found");
}

// Steps `stmt` to completion, decoding each row with `decode`.
template <typename T, typename DecodeRow>
Result<std::vector<T>> CollectRows(Statement& stmt, std::string_view context,
                                   DecodeRow decode) {
  std::vector<T> rows;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return rows;
    WARDEN_ASSIGN_OR_RETURN(T value, decode(stmt));
    rows.push_back(std::move(value));
  }
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

// ------------------------------------------------------------------- teams

Status SqliteTeamRepository::Insert(const Team& team) {
  std::string context = "insert team " + Quoted(team.name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare("INSERT INTO teams (name, created_at_us, "
                                  "updated_at_us) VALUES (?, ?, ?)",
                                  context));
  stmt.Bind(team.name);
  stmt.Bind(ToMicros(team.created_at));
  stmt.Bind(ToMicros(team.updated_at));
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  return WriteMembers(team);
}

Status SqliteTeamRepository::Update(const Team& team) {
  std::string context = "update team " + Quoted(team.name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE teams SET created_at_us = ?, updated_at_us = ? "
          "WHERE name = ?",
          context));
  stmt.Bind(ToMicros(team.created_at));
  stmt.Bind(ToMicros(team.updated_at));
  stmt.Bind(team.name);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  WARDEN_RETURN_IF_ERROR(
      RequireChanged(context_.connection, "team " + Quoted(team.name)));
  WARDEN_ASSIGN_OR_RETURN(
      Statement clear, context_.connection.Prepare(
                           "DELETE FROM team_members WHERE team = ?", context));
  clear.Bind(team.name);
  WARDEN_RETURN_IF_ERROR(clear.Run(context));
  return WriteMembers(team);
}

Status SqliteTeamRepository::WriteMembers(const Team& team) {
  std::string context = "write members of team " + Quoted(team.name);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          "INSERT INTO team_members (team, position, member) "
                          "VALUES (?, ?, ?)",
                          context));
  for (size_t i = 0; i < team.members.size(); ++i) {
    stmt.Bind(team.name);
    stmt.Bind(static_cast<int64_t>(i));
    stmt.Bind(team.members[i]);
    WARDEN_RETURN_IF_ERROR(stmt.Run(context));
    stmt.Reset();
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteTeamRepository::ReadMembers(
    const std::string& team) {
  std::string context = "read members of team " + Quoted(team);
  WARDEN_ASSIGN_OR_RETURN(Statement stmt,
                          context_.connection.Prepare(
                              "SELECT member FROM team_members WHERE team = ? "
                              "ORDER BY position",
                              context));
  stmt.Bind(team);
  return CollectRows<std::string>(
      stmt, context,
      [](const Statement& s) -> Result<std::string> { return s.Text(0); });
}

Result<Team> SqliteTeamRepository::Get(std::string_view name) {
  std::string context = "get team " + Quoted(name);
  Team team;
  {
    WARDEN_ASSIGN_OR_RETURN(
        Statement stmt,
        context_.connection.Prepare("SELECT name, created_at_us, "
                                    "updated_at_us FROM teams WHERE name = ?",
                                    context));
    stmt.Bind(name);
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return NotFound("team " + Quoted(name) + " not found");
    team.name = stmt.Text(0);
    team.created_at = FromMicros(stmt.Int(1));
    team.updated_at = FromMicros(stmt.Int(2));
  }
  WARDEN_ASSIGN_OR_RETURN(team.members, ReadMembers(team.name));
  return team;
}

Result<std::vector<Team>> SqliteTeamRepository::List() {
  constexpr char kContext[] = "list teams";
  std::vector<Team> teams;
  {
    WARDEN_ASSIGN_OR_RETURN(
        Statement stmt,
        context_.connection.Prepare("SELECT name, created_at_us, "
                                    "updated_at_us FROM teams ORDER BY name",
                                    kContext));
    WARDEN_ASSIGN_OR_RETURN(
        teams, CollectRows<Team>(stmt, kContext,
                                 [](const Statement& s) -> Result<Team> {
                                   Team team;
                                   team.name = s.Text(0);
                                   team.created_at = FromMicros(s.Int(1));
                                   team.updated_at = FromMicros(s.Int(2));
                                   return team;
                                 }));
  }
  for (Team& team : teams) {
    WARDEN_ASSIGN_OR_RETURN(team.members, ReadMembers(team.name));
  }
  return teams;
}

Status SqliteTeamRepository::Delete(std::string_view name) {
  std::string context = "delete team " + Quoted(name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare("DELETE FROM teams WHERE name = ?", context));
  stmt.Bind(name);
  Status status = stmt.Run(context);
  if (status.code() == StatusCode::kFailedPrecondition) {
    return FailedPrecondition(
        "team " + Quoted(name) + " still owns identities: " + status.message(),
        "team-in-use");
  }
  WARDEN_RETURN_IF_ERROR(status);
  return RequireChanged(context_.connection, "team " + Quoted(name));
}

// ------------------------------------------------------- policy exceptions

namespace {
constexpr char kExceptionColumns[] =
    "id, identity_name, rule, justification, requested_by, approved_by, "
    "state, expires_at_us, created_at_us, decided_at_us";

void BindException(Statement& stmt, const PolicyException& e) {
  stmt.Bind(e.identity_name);
  stmt.Bind(e.rule);
  stmt.Bind(e.justification);
  stmt.Bind(e.requested_by);
  stmt.Bind(e.approved_by);
  stmt.Bind(Name(e.state));
  stmt.Bind(ToMicros(e.expires_at));
  stmt.Bind(ToMicros(e.created_at));
  stmt.Bind(OptionalMicros(e.decided_at));
}
}  // namespace

Status SqlitePolicyExceptionRepository::Insert(const PolicyException& e) {
  std::string context = "insert policy exception " + Quoted(e.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("INSERT INTO policy_exceptions (") + kExceptionColumns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          context));
  stmt.Bind(e.id);
  BindException(stmt, e);
  return stmt.Run(context);
}

Status SqlitePolicyExceptionRepository::Update(const PolicyException& e) {
  std::string context = "update policy exception " + Quoted(e.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE policy_exceptions SET identity_name = ?, rule = ?, "
          "justification = ?, requested_by = ?, approved_by = ?, state = ?, "
          "expires_at_us = ?, created_at_us = ?, decided_at_us = ? "
          "WHERE id = ?",
          context));
  BindException(stmt, e);
  stmt.Bind(e.id);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  return RequireChanged(context_.connection,
                        "policy exception " + Quoted(e.id));
}

Result<PolicyException> SqlitePolicyExceptionRepository::Get(
    std::string_view id) {
  std::string context = "get policy exception " + Quoted(id);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("SELECT ") + kExceptionColumns +
                                      " FROM policy_exceptions WHERE id = ?",
                                  context));
  stmt.Bind(id);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return NotFound("policy exception " + Quoted(id) + " not found");
  return Decode(stmt);
}

Result<std::vector<PolicyException>> SqlitePolicyExceptionRepository::List(
    std::string_view identity_name) {
  constexpr char kContext[] = "list policy exceptions";
  std::string sql =
      std::string("SELECT ") + kExceptionColumns + " FROM policy_exceptions";
  if (!identity_name.empty()) sql += " WHERE identity_name = ?";
  sql += " ORDER BY created_at_us, id";
  WARDEN_ASSIGN_OR_RETURN(Statement stmt,
                          context_.connection.Prepare(sql, kContext));
  if (!identity_name.empty()) stmt.Bind(identity_name);
  return CollectRows<PolicyException>(
      stmt, kContext, [this](const Statement& s) { return Decode(s); });
}

Result<PolicyException> SqlitePolicyExceptionRepository::Decode(
    const Statement& s) const {
  PolicyException e;
  e.id = s.Text(0);
  e.identity_name = s.Text(1);
  e.rule = s.Text(2);
  e.justification = s.Text(3);
  e.requested_by = s.Text(4);
  e.approved_by = s.Text(5);
  WARDEN_ASSIGN_OR_RETURN(
      e.state,
      context_.Decode(s, 6, "policy_exceptions.state", ParseExceptionState));
  e.expires_at = FromMicros(s.Int(7));
  e.created_at = FromMicros(s.Int(8));
  e.decided_at = OptionalTimestamp(s.OptionalInt(9));
  return e;
}

// ------------------------------------------------------------------- users

namespace {
constexpr char kUserColumns[] =
    "name, email, role, team, disabled, created_at_us, updated_at_us";
}  // namespace

Status SqliteUserRepository::Insert(const User& user) {
  std::string context = "insert user " + Quoted(user.name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          std::string("INSERT INTO users (") + kUserColumns +
                              ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                          context));
  stmt.Bind(user.name);
  stmt.Bind(user.email);
  stmt.Bind(Name(user.role));
  stmt.Bind(user.team);
  stmt.Bind(int64_t{user.disabled});
  stmt.Bind(ToMicros(user.created_at));
  stmt.Bind(ToMicros(user.updated_at));
  return stmt.Run(context);
}

Status SqliteUserRepository::Update(const User& user) {
  std::string context = "update user " + Quoted(user.name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE users SET email = ?, role = ?, team = ?, disabled = ?, "
          "created_at_us = ?, updated_at_us = ? WHERE name = ?",
          context));
  stmt.Bind(user.email);
  stmt.Bind(Name(user.role));
  stmt.Bind(user.team);
  stmt.Bind(int64_t{user.disabled});
  stmt.Bind(ToMicros(user.created_at));
  stmt.Bind(ToMicros(user.updated_at));
  stmt.Bind(user.name);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  return RequireChanged(context_.connection, "user " + Quoted(user.name));
}

Result<User> SqliteUserRepository::Get(std::string_view name) {
  std::string context = "get user " + Quoted(name);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?",
          context));
  stmt.Bind(name);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return NotFound("user " + Quoted(name) + " not found");
  return Decode(stmt);
}

Result<std::vector<User>> SqliteUserRepository::List() {
  constexpr char kContext[] = "list users";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name",
          kContext));
  return CollectRows<User>(stmt, kContext,
                           [this](const Statement& s) { return Decode(s); });
}

Result<User> SqliteUserRepository::Decode(const Statement& s) const {
  User user;
  user.name = s.Text(0);
  user.email = s.Text(1);
  WARDEN_ASSIGN_OR_RETURN(user.role,
                          context_.Decode(s, 2, "users.role", ParseRole));
  user.team = s.Text(3);
  user.disabled = s.Int(4) != 0;
  user.created_at = FromMicros(s.Int(5));
  user.updated_at = FromMicros(s.Int(6));
  return user;
}

// -------------------------------------------------------------- API tokens

namespace {
constexpr char kTokenColumns[] =
    "id, secret_hash, user, role, team, environment, tenant, description, "
    "created_by, created_at_us, expires_at_us, revoked_at_us, "
    "last_used_at_us";

void BindToken(Statement& stmt, const ApiToken& t) {
  stmt.Bind(t.secret_hash);
  stmt.Bind(t.user);
  stmt.Bind(Name(t.role));
  stmt.Bind(t.team);
  if (t.environment) {
    stmt.Bind(Name(*t.environment));
  } else {
    stmt.BindNull();
  }
  stmt.Bind(t.tenant);
  stmt.Bind(t.description);
  stmt.Bind(t.created_by);
  stmt.Bind(ToMicros(t.created_at));
  stmt.Bind(ToMicros(t.expires_at));
  stmt.Bind(OptionalMicros(t.revoked_at));
  stmt.Bind(OptionalMicros(t.last_used_at));
}
}  // namespace

Status SqliteApiTokenRepository::Insert(const ApiToken& token) {
  std::string context = "insert api token " + Quoted(token.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("INSERT INTO api_tokens (") + kTokenColumns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          context));
  stmt.Bind(token.id);
  BindToken(stmt, token);
  return stmt.Run(context);
}

Status SqliteApiTokenRepository::Update(const ApiToken& token) {
  std::string context = "update api token " + Quoted(token.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE api_tokens SET secret_hash = ?, user = ?, role = ?, "
          "team = ?, environment = ?, tenant = ?, description = ?, "
          "created_by = ?, created_at_us = ?, expires_at_us = ?, "
          "revoked_at_us = ?, last_used_at_us = ? WHERE id = ?",
          context));
  BindToken(stmt, token);
  stmt.Bind(token.id);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  return RequireChanged(context_.connection, "api token " + Quoted(token.id));
}

Result<ApiToken> SqliteApiTokenRepository::Get(std::string_view id) {
  return GetWhere("id", id);
}

Result<ApiToken> SqliteApiTokenRepository::GetBySecretHash(
    std::string_view secret_hash) {
  return GetWhere("secret_hash", secret_hash);
}

Result<ApiToken> SqliteApiTokenRepository::GetWhere(const char* column,
                                                    std::string_view key) {
  // The key is not echoed: a secret hash is only ever compared.
  std::string context = "get api token by " + std::string(column);
  WARDEN_ASSIGN_OR_RETURN(Statement stmt,
                          context_.connection.Prepare(
                              std::string("SELECT ") + kTokenColumns +
                                  " FROM api_tokens WHERE " + column + " = ?",
                              context));
  stmt.Bind(key);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return NotFound("api token not found by " + std::string(column));
  return Decode(stmt);
}

Result<std::vector<ApiToken>> SqliteApiTokenRepository::List() {
  constexpr char kContext[] = "list api tokens";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("SELECT ") + kTokenColumns +
                                      " FROM api_tokens ORDER BY id",
                                  kContext));
  return CollectRows<ApiToken>(
      stmt, kContext, [this](const Statement& s) { return Decode(s); });
}

Result<ApiToken> SqliteApiTokenRepository::Decode(const Statement& s) const {
  ApiToken t;
  t.id = s.Text(0);
  t.secret_hash = s.Text(1);
  t.user = s.Text(2);
  WARDEN_ASSIGN_OR_RETURN(t.role,
                          context_.Decode(s, 3, "api_tokens.role", ParseRole));
  t.team = s.Text(4);
  if (!s.IsNull(5)) {
    WARDEN_ASSIGN_OR_RETURN(
        t.environment,
        context_.Decode(s, 5, "api_tokens.environment", ParseEnvironment));
  }
  t.tenant = s.Text(6);
  t.description = s.Text(7);
  t.created_by = s.Text(8);
  t.created_at = FromMicros(s.Int(9));
  t.expires_at = FromMicros(s.Int(10));
  t.revoked_at = OptionalTimestamp(s.OptionalInt(11));
  t.last_used_at = OptionalTimestamp(s.OptionalInt(12));
  return t;
}

// ---------------------------------------------------------------- settings

Result<std::optional<std::string>> SqliteSettingsRepository::Get(
    std::string_view key) {
  std::string context = "get setting " + Quoted(key);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          "SELECT value FROM settings WHERE key = ?", context));
  stmt.Bind(key);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(stmt.Text(0));
}

Status SqliteSettingsRepository::Put(std::string_view key,
                                     std::string_view value) {
  std::string context = "put setting " + Quoted(key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "INSERT INTO settings (key, value) VALUES (?, ?) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          context));
  stmt.Bind(key);
  stmt.Bind(value);
  return stmt.Run(context);
}

}  // namespace warden::sqlite
