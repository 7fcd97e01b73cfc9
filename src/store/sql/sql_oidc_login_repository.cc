#include "store/sql/sql_oidc_login_repository.h"

#include "store/sql/query.h"

namespace warden::sql {

Status SqlOidcLoginRepository::Insert(const OidcLogin& login) {
  constexpr char kContext[] = "insert oidc login";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  return Execute(context_.connection,
                 "INSERT INTO oidc_logins (state_hash, nonce, code_verifier, "
                 "return_to, created_at_us, expires_at_us) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 kContext, login.state_hash, login.nonce, login.code_verifier,
                 login.return_to, ToMicros(login.created_at),
                 ToMicros(login.expires_at));
}

Result<OidcLogin> SqlOidcLoginRepository::Take(std::string_view state_hash) {
  constexpr char kContext[] = "take oidc login";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<OidcLogin> login,
      QueryFirst(
          context_.connection,
          "SELECT state_hash, nonce, code_verifier, return_to, created_at_us, "
          "expires_at_us FROM oidc_logins WHERE state_hash = ?",
          kContext,
          [](const Statement& s) {
            OidcLogin login;
            login.state_hash = s.Text(0);
            login.nonce = s.Text(1);
            login.code_verifier = s.Text(2);
            login.return_to = s.Text(3);
            login.created_at = FromMicros(s.Int(4));
            login.expires_at = FromMicros(s.Int(5));
            return login;
          },
          state_hash));
  if (!login) return NotFound("no pending sign-in for this state");
  WARDEN_RETURN_IF_ERROR(Execute(context_.connection,
                                 "DELETE FROM oidc_logins WHERE state_hash = ?",
                                 kContext, state_hash));
  return std::move(*login);
}

Result<int64_t> SqlOidcLoginRepository::DeleteExpired(Timestamp now) {
  constexpr char kContext[] = "delete expired oidc logins";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection, "DELETE FROM oidc_logins WHERE expires_at_us <= ?",
      kContext, ToMicros(now)));
  return context_.connection.Changes();
}

}  // namespace warden::sql
