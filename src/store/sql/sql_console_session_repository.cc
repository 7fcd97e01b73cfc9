#include "store/sql/sql_console_session_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {

Status SqlConsoleSessionRepository::Insert(const ConsoleSession& s) {
  constexpr char kContext[] = "insert console session";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  return Execute(context_.connection,
                 "INSERT INTO console_sessions (id_hash, \"user\", method, "
                 "created_at_us, last_seen_at_us, expires_at_us, ended_at_us, "
                 "remote, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 kContext, s.id_hash, s.user, s.method, ToMicros(s.created_at),
                 ToMicros(s.last_seen_at), ToMicros(s.expires_at),
                 OptionalMicros(s.ended_at), s.remote, s.user_agent);
}

// The id hash is never echoed in errors: it is compared, not shown.
Result<ConsoleSession> SqlConsoleSessionRepository::Get(
    std::string_view id_hash) {
  constexpr char kContext[] = "get console session";
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<ConsoleSession> session,
      QueryFirst(
          context_.connection,
          "SELECT id_hash, \"user\", method, created_at_us, last_seen_at_us, "
          "expires_at_us, ended_at_us, remote, user_agent "
          "FROM console_sessions WHERE id_hash = ?",
          kContext,
          [](const Statement& s) {
            ConsoleSession session;
            session.id_hash = s.Text(0);
            session.user = s.Text(1);
            session.method = s.Text(2);
            session.created_at = FromMicros(s.Int(3));
            session.last_seen_at = FromMicros(s.Int(4));
            session.expires_at = FromMicros(s.Int(5));
            session.ended_at = OptionalTimestamp(s.OptionalInt(6));
            session.remote = s.Text(7);
            session.user_agent = s.Text(8);
            return session;
          },
          id_hash));
  if (!session) return NotFound("console session not found");
  return std::move(*session);
}

Status SqlConsoleSessionRepository::End(std::string_view id_hash,
                                        Timestamp at) {
  constexpr char kContext[] = "end console session";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE console_sessions SET ended_at_us = COALESCE(ended_at_us, ?) "
      "WHERE id_hash = ?",
      kContext, ToMicros(at), id_hash));
  return context_.RequireChanged("console session");
}

Result<int64_t> SqlConsoleSessionRepository::EndAllOf(std::string_view user,
                                                      Timestamp at) {
  std::string context = "end console sessions of user " + Quoted(user);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE console_sessions SET ended_at_us = ?1 "
      "WHERE \"user\" = ?2 AND ended_at_us IS NULL AND expires_at_us > ?1",
      context, ToMicros(at), user));
  return context_.connection.Changes();
}

Status SqlConsoleSessionRepository::Touch(std::string_view id_hash,
                                          Timestamp at) {
  constexpr char kContext[] = "touch console session";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  return Execute(context_.connection,
                 "UPDATE console_sessions SET last_seen_at_us = ?1 "
                 "WHERE id_hash = ?2 AND last_seen_at_us < ?1",
                 kContext, ToMicros(at), id_hash);
}

Result<int64_t> SqlConsoleSessionRepository::DeleteFinishedBefore(
    Timestamp before) {
  constexpr char kContext[] = "delete finished console sessions";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "DELETE FROM console_sessions WHERE expires_at_us < ?1 OR "
              "ended_at_us < ?1",
              kContext, ToMicros(before)));
  return context_.connection.Changes();
}

}  // namespace warden::sql
