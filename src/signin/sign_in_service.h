// SignInService: how Warden's human users sign in to the console and how
// their sessions authenticate requests.
//
//  - Password sign-in checks the Argon2id hash, then the TOTP code when
//    the user has enrolled one. Unknown users, wrong passwords, disabled
//    users and wrong codes get one answer (401 "invalid-credentials");
//    the right password without a code for a TOTP user gets
//    "totp-required". Consecutive failures per user lock the user out
//    (429 "locked-out" with Retry-After), doubling from
//    SessionPolicy::lockout_base up to lockout_max; failures per source
//    address go through the shared AuthFailureThrottle as well.
//  - Federated sign-in (OpenID Connect) starts a session for a user the
//    identity provider vouched for, provisioning it when a role is mapped.
//  - A session lives until signed out, idle for idle_timeout, or max_age
//    after it began. Its state is in the store, so every replica sees a
//    sign-out at once.
//
// Every sign-in, refusal and sign-out is audited, in the same transaction
// as the session or counter it writes. Passwords, codes and cookie values
// never reach a log, an audit record or a Status message.
//
// Thread-safe.
#ifndef WARDEN_SIGNIN_SIGN_IN_SERVICE_H_
#define WARDEN_SIGNIN_SIGN_IN_SERVICE_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/api_token.h"
#include "core/principal.h"
#include "service/auditor.h"
#include "service/auth_failure_throttle.h"
#include "signin/totp_key_sealer.h"
#include "store/store.h"

namespace warden::signin {

struct SessionPolicy {
  std::chrono::seconds idle_timeout{15 * 60};
  std::chrono::seconds max_age{12 * 60 * 60};
  int64_t lockout_threshold = 5;  // consecutive failures before a lockout
  std::chrono::seconds lockout_base{30};
  std::chrono::seconds lockout_max{15 * 60};
};

// last_seen_at is written at most this often (an advisory write).
inline constexpr std::chrono::seconds kSessionTouchInterval{60};

struct PasswordSignIn {
  std::string user;
  std::string password;  // SECRET
  std::string totp;      // SECRET; empty when not sent
};

// Where a sign-in comes from, for the audit record and the session row.
struct SignInOrigin {
  std::string remote;
  std::string user_agent;
  std::string request_id;
};

// What an OpenID provider vouched for, already mapped to Warden's terms.
struct FederatedSignIn {
  std::string user;
  std::string email;
  std::optional<Role> role;  // set: provision the user when it is unknown
  std::string team;
  std::string issuer;
  std::string subject;
};

struct SignedIn {
  std::string cookie_value;  // SECRET: only ever in Set-Cookie
  std::string csrf_token;
  User user;
  std::string method;  // "password", "oidc"
  Timestamp started_at{};
  Timestamp expires_at{};
  Timestamp idle_expires_at{};
};

// The Set-Cookie value that hands a new session to the browser (see
// session_secret.h; Max-Age is the session's whole lifetime).
std::string SessionCookieHeader(const SignedIn& signed_in, bool secure);

class SignInService {
 public:
  // Borrowed references must outlive this; `throttle` may be null.
  SignInService(Store& store, Auditor& auditor, const TotpKeySealer& sealer,
                AuthFailureThrottle* throttle, SessionPolicy policy = {});

  Result<SignedIn> SignInWithPassword(const PasswordSignIn& attempt,
                                      const SignInOrigin& origin);
  Result<SignedIn> SignInFederated(const FederatedSignIn& who,
                                   const SignInOrigin& origin);

  // The principal of a live session: the user's role and team, read on
  // every call (a disabled user or an ended session stops at once).
  // kUnauthenticated otherwise, audited; problem "session-expired" when
  // it timed out. A request that `changes_state` must also present the
  // session's CSRF token, else kPermissionDenied "csrf-token-invalid"
  // (audited as a denial of the session's user).
  Result<Principal> AuthenticateSession(std::string_view cookie_value,
                                        std::string_view csrf_token,
                                        bool changes_state,
                                        std::string_view remote,
                                        std::string_view request_id);
  // The session behind a cookie that AuthenticateSession accepted.
  Result<SignedIn> Describe(std::string_view cookie_value);
  Status SignOut(const Caller& caller, std::string_view cookie_value);

  // Deletes sessions finished more than a day ago and expired OIDC logins.
  Status Sweep();

 private:
  Result<SignedIn> FinishPasswordAttempt(const PasswordSignIn& attempt,
                                         const SignInOrigin& origin,
                                         bool password_ok);
  Status CountFailure(Transaction& tx, UserCredential& credential,
                      Timestamp now) const;
  Result<SignedIn> StartSession(Transaction& tx, const User& user,
                                std::string_view method,
                                const SignInOrigin& origin, Timestamp now);
  Status RecordRefusal(Transaction& tx, std::string_view user,
                       const SignInOrigin& origin, const Status& refusal,
                       std::string_view reason,
                       boost::json::object details = {});
  Status Refuse(std::string_view user, const SignInOrigin& origin,
                const Status& refusal, std::string_view reason);
  void TouchLater(const std::string& id_hash, Timestamp now);

  Store& store_;
  Auditor& auditor_;
  const TotpKeySealer& sealer_;
  AuthFailureThrottle* const throttle_;
  const SessionPolicy policy_;
};

}  // namespace warden::signin

#endif  // WARDEN_SIGNIN_SIGN_IN_SERVICE_H_
