// UserCredentialService: setting a user's console password and enrolling
// or removing its TOTP second factor. A user may manage its own; managing
// another user's takes user.write (admin). An admin resetting another
// user's password ends that user's sessions. Audited like every mutation;
// neither the password nor the TOTP key appears in the record.
//
// Thread-safe.
#ifndef WARDEN_SIGNIN_USER_CREDENTIAL_SERVICE_H_
#define WARDEN_SIGNIN_USER_CREDENTIAL_SERVICE_H_

#include <string>
#include <string_view>

#include "service/auditor.h"
#include "signin/totp_key_sealer.h"
#include "store/store.h"

namespace warden::signin {

struct TotpEnrollment {
  std::string secret;       // SECRET: base32, shown once
  std::string otpauth_uri;  // SECRET: the same, for a QR code
};

class UserCredentialService {
 public:
  // Borrowed references must outlive this.
  UserCredentialService(Store& store, Auditor& auditor,
                        const TotpKeySealer& sealer)
      : store_(store), auditor_(auditor), sealer_(sealer) {}

  // kInvalidArgument ("weak-password") for a password the policy refuses.
  Status SetPassword(const Caller& caller, std::string_view user,
                     std::string_view password);
  Result<TotpEnrollment> EnrollTotp(const Caller& caller,
                                    std::string_view user);
  Status RemoveTotp(const Caller& caller, std::string_view user);

 private:
  // Runs `change` on the user's credential row (a fresh one when absent)
  // in one audited unit, after checking the caller may.
  Status Change(
      const Caller& caller, std::string_view user, std::string_view action,
      const std::function<Status(Transaction&, UserCredential&)>& change);

  Store& store_;
  Auditor& auditor_;
  const TotpKeySealer& sealer_;
};

}  // namespace warden::signin

#endif  // WARDEN_SIGNIN_USER_CREDENTIAL_SERVICE_H_
