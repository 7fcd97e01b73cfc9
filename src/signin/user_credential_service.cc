#include "signin/user_credential_service.h"

#include "core/crypto.h"
#include "service/audited_write.h"
#include "signin/password_hash.h"
#include "signin/totp.h"

namespace warden::signin {
namespace {

constexpr char kTotpIssuer[] = "Warden";

bool IsSelf(const Caller& caller, std::string_view user) {
  return !caller.principal.user.empty() && caller.principal.user == user;
}

}  // namespace

Status UserCredentialService::Change(
    const Caller& caller, std::string_view user, std::string_view action,
    const std::function<Status(Transaction&, UserCredential&)>& change) {
  AuditedWrite write(store_, auditor_, caller, action,
                     "user/" + std::string(user), Permission::kUserWrite);
  return write.Run([&](Transaction& tx) -> Status {
    if (!IsSelf(caller, user)) WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(tx.users().Get(user).status());
    Result<UserCredential> found = tx.user_credentials().Get(user);
    if (!found.ok() && found.status().code() != StatusCode::kNotFound) {
      return found.status();
    }
    UserCredential credential;
    if (found.ok()) credential = std::move(found).value();
    credential.user = std::string(user);
    credential.updated_at = write.now();
    WARDEN_RETURN_IF_ERROR(change(tx, credential));
    WARDEN_RETURN_IF_ERROR(tx.user_credentials().Put(credential));
    return write.Record(tx);
  });
}

// Hashed before the write unit: Argon2id must not hold the store's writer.
Status UserCredentialService::SetPassword(const Caller& caller,
                                          std::string_view user,
                                          std::string_view password) {
  WARDEN_RETURN_IF_ERROR(CheckPasswordPolicy(user, password));
  WARDEN_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  const bool reset_by_admin = !IsSelf(caller, user);
  return Change(caller, user, "user.set_password",
                [&](Transaction& tx, UserCredential& credential) -> Status {
                  credential.password_hash = hash;
                  credential.failed_attempts = 0;
                  credential.locked_until.reset();
                  if (!reset_by_admin) return Status::Ok();
                  return tx.console_sessions()
                      .EndAllOf(user, credential.updated_at)
                      .status();
                });
}

Result<TotpEnrollment> UserCredentialService::EnrollTotp(
    const Caller& caller, std::string_view user) {
  const std::string key = RandomBytes(kTotpKeyBytes);
  WARDEN_ASSIGN_OR_RETURN(std::string sealed, sealer_.Seal(user, key));
  WARDEN_RETURN_IF_ERROR(Change(caller, user, "user.enroll_totp",
                                [&](Transaction&, UserCredential& credential) {
                                  credential.totp_sealed = sealed;
                                  credential.totp_last_step = 0;
                                  return Status::Ok();
                                }));
  return TotpEnrollment{Base32Encode(key), OtpauthUri(kTotpIssuer, user, key)};
}

Status UserCredentialService::RemoveTotp(const Caller& caller,
                                         std::string_view user) {
  return Change(caller, user, "user.remove_totp",
                [](Transaction&, UserCredential& credential) {
                  credential.totp_sealed.clear();
                  credential.totp_last_step = 0;
                  return Status::Ok();
                });
}

}  // namespace warden::signin
