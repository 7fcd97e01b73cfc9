#include "store/sql/sql_user_credential_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {

Result<UserCredential> SqlUserCredentialRepository::Get(std::string_view user) {
  std::string context = "get credential of user " + Quoted(user);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<UserCredential> credential,
      QueryFirst(
          context_.connection,
          "SELECT \"user\", password_hash, totp_sealed, totp_last_step, "
          "failed_attempts, locked_until_us, updated_at_us "
          "FROM user_credentials WHERE \"user\" = ?",
          context,
          [](const Statement& s) {
            UserCredential c;
            c.user = s.Text(0);
            c.password_hash = s.Text(1);
            c.totp_sealed = s.Text(2);
            c.totp_last_step = s.Int(3);
            c.failed_attempts = s.Int(4);
            c.locked_until = OptionalTimestamp(s.OptionalInt(5));
            c.updated_at = FromMicros(s.Int(6));
            return c;
          },
          user));
  if (!credential)
    return NotFound("user " + Quoted(user) + " has no credential");
  return std::move(*credential);
}

Status SqlUserCredentialRepository::Put(const UserCredential& c) {
  std::string context = "store credential of user " + Quoted(c.user);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      "INSERT INTO user_credentials (\"user\", password_hash, totp_sealed, "
      "totp_last_step, failed_attempts, locked_until_us, updated_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(\"user\") DO UPDATE SET "
      "password_hash = excluded.password_hash, "
      "totp_sealed = excluded.totp_sealed, "
      "totp_last_step = excluded.totp_last_step, "
      "failed_attempts = excluded.failed_attempts, "
      "locked_until_us = excluded.locked_until_us, "
      "updated_at_us = excluded.updated_at_us",
      context, c.user, c.password_hash, c.totp_sealed, c.totp_last_step,
      c.failed_attempts, OptionalMicros(c.locked_until),
      ToMicros(c.updated_at));
}

}  // namespace warden::sql
