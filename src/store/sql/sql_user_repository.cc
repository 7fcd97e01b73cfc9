#include "store/sql/sql_user_repository.h"

#include <string>

#include "store/change_feed.h"
#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kUserColumns[] =
    "name, email, role, team, disabled, created_at_us, updated_at_us";

// Binds every column but name, in kUserColumns order.
void BindMutableColumns(Statement& stmt, const User& user) {
  BindAll(stmt, user.email, Name(user.role), user.team, int64_t{user.disabled},
          ToMicros(user.created_at), ToMicros(user.updated_at));
}

}  // namespace

Status SqlUserRepository::Insert(const User& user) {
  std::string context = "insert user " + Quoted(user.name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 std::string("INSERT INTO users (") + kUserColumns +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                 context, user.name,
                 [&user](Statement& s) { BindMutableColumns(s, user); });
}

Status SqlUserRepository::Update(const User& user) {
  std::string context = "update user " + Quoted(user.name);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  context_.NoteChanged(ChangeKey::User(user.name));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE users SET email = ?, role = ?, team = ?, disabled = ?, "
      "created_at_us = ?, updated_at_us = ? WHERE name = ?",
      context, [&user](Statement& s) { BindMutableColumns(s, user); },
      user.name));
  return context_.RequireChanged("user " + Quoted(user.name));
}

Result<User> SqlUserRepository::Get(std::string_view name) {
  std::string context = "get user " + Quoted(name);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<User> user,
      QueryFirst(
          context_.connection,
          std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?",
          context, [this](const Statement& s) { return Decode(s); }, name));
  if (!user) return NotFound("user " + Quoted(name) + " not found");
  return std::move(*user);
}

Result<std::vector<User>> SqlUserRepository::List() {
  constexpr char kContext[] = "list users";
  return QueryRows(
      context_.connection,
      std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name",
      kContext, [this](const Statement& s) { return Decode(s); });
}

Result<User> SqlUserRepository::Decode(const Statement& s) const {
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

}  // namespace warden::sql
