#include "signin/sign_in_service.h"

#include <algorithm>
#include <utility>

#include "core/crypto.h"
#include "signin/password_hash.h"
#include "signin/session_secret.h"
#include "signin/totp.h"

namespace warden::signin {
namespace {

constexpr char kSignInAction[] = "session.create";
constexpr size_t kMaxStoredUserAgent = 256;
constexpr std::chrono::hours kFinishedSessionRetention{24};

Status InvalidCredentials() {
  return Status(StatusCode::kUnauthenticated,
                "user name, password or code is not right",
                "invalid-credentials");
}

Status TotpRequired() {
  return Status(StatusCode::kUnauthenticated,
                "this user signs in with a one-time code as well",
                "totp-required");
}

Status LockedOut(Timestamp until, Timestamp now) {
  const auto wait = std::max<std::chrono::seconds>(
      std::chrono::seconds(1),
      std::chrono::ceil<std::chrono::seconds>(until - now));
  return Status(StatusCode::kResourceExhausted,
                "too many failed sign-ins for this user; try again in " +
                    std::to_string(wait.count()) + " s",
                "locked-out")
      .WithRetryAfter(wait);
}

Status SessionExpired() {
  return Status(StatusCode::kUnauthenticated,
                "the console session has expired; sign in again",
                "session-expired");
}

std::string UserTarget(std::string_view name) {
  return "user/" + std::string(name);
}

Caller CallerFor(const User& user, const SignInOrigin& origin,
                 std::string_view id_hash) {
  Caller caller;
  caller.principal.subject = user.name;
  caller.principal.user = user.name;
  caller.principal.token_id = "session:" + std::string(id_hash.substr(0, 16));
  caller.principal.role = user.role;
  caller.principal.team = user.team;
  caller.remote = origin.remote;
  caller.request_id = origin.request_id;
  return caller;
}

bool IsNotFound(const Status& status) {
  return status.code() == StatusCode::kNotFound;
}

Timestamp IdleExpiry(const ConsoleSession& session,
                     const SessionPolicy& policy) {
  return std::min(session.last_seen_at + policy.idle_timeout,
                  session.expires_at);
}

}  // namespace

std::string SessionCookieHeader(const SignedIn& signed_in, bool secure) {
  return SessionCookieHeader(signed_in.cookie_value,
                             std::chrono::ceil<std::chrono::seconds>(
                                 signed_in.expires_at - signed_in.started_at),
                             secure);
}

SignInService::SignInService(Store& store, Auditor& auditor,
                             const TotpKeySealer& sealer,
                             AuthFailureThrottle* throttle,
                             SessionPolicy policy)
    : store_(store),
      auditor_(auditor),
      sealer_(sealer),
      throttle_(throttle),
      policy_(policy) {}

// The hash is read and checked outside the write unit: Argon2id takes
// tens of milliseconds and must not hold the store's writer. The unit
// then re-reads the counters, so concurrent attempts count correctly.
Result<SignedIn> SignInService::SignInWithPassword(
    const PasswordSignIn& attempt, const SignInOrigin& origin) {
  if (throttle_ != nullptr) {
    WARDEN_RETURN_IF_ERROR(
        throttle_->Admit(kSignInAction, origin.remote, origin.request_id));
  }
  std::string hash;
  std::optional<Timestamp> locked_until;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    Result<UserCredential> credential = tx.user_credentials().Get(attempt.user);
    if (!credential.ok()) {
      return IsNotFound(credential.status()) ? Status::Ok()
                                             : credential.status();
    }
    hash = std::move(credential->password_hash);
    locked_until = credential->locked_until;
    return Status::Ok();
  }));
  const Timestamp now = auditor_.clock().Now();
  if (locked_until && *locked_until > now) {
    return Refuse(attempt.user, origin, LockedOut(*locked_until, now),
                  "locked out");
  }
  const bool password_ok = VerifyPassword(hash, attempt.password);
  return FinishPasswordAttempt(attempt, origin, password_ok);
}

Result<SignedIn> SignInService::FinishPasswordAttempt(
    const PasswordSignIn& attempt, const SignInOrigin& origin,
    bool password_ok) {
  Result<SignedIn> outcome = InvalidCredentials();
  bool counted = false;
  const Status written = store_.Write([&](Transaction& tx) -> Status {
    const Timestamp now = auditor_.clock().Now();
    Result<User> user = tx.users().Get(attempt.user);
    Result<UserCredential> credential = tx.user_credentials().Get(attempt.user);
    for (const Status& read : {user.status(), credential.status()}) {
      if (!read.ok() && !IsNotFound(read)) return read;
    }
    auto refuse = [&](Status refusal, std::string_view reason) {
      outcome = refusal;
      return RecordRefusal(tx, attempt.user, origin, refusal, reason);
    };
    if (!user.ok() || !credential.ok() || credential->password_hash.empty()) {
      counted = true;
      return refuse(InvalidCredentials(), "unknown user or no password");
    }
    if (credential->locked_until && *credential->locked_until > now) {
      return refuse(LockedOut(*credential->locked_until, now), "locked out");
    }
    if (!password_ok) {
      counted = true;
      WARDEN_RETURN_IF_ERROR(CountFailure(tx, *credential, now));
      return refuse(InvalidCredentials(), "wrong password");
    }
    if (user->disabled) return refuse(InvalidCredentials(), "user disabled");
    if (!credential->totp_sealed.empty()) {
      if (attempt.totp.empty()) {
        return refuse(TotpRequired(), "one-time code required");
      }
      WARDEN_ASSIGN_OR_RETURN(
          std::string key, sealer_.Open(attempt.user, credential->totp_sealed));
      std::optional<int64_t> step =
          VerifyTotp(key, attempt.totp, now, credential->totp_last_step);
      if (!step) {
        counted = true;
        WARDEN_RETURN_IF_ERROR(CountFailure(tx, *credential, now));
        return refuse(InvalidCredentials(), "wrong one-time code");
      }
      credential->totp_last_step = *step;
    }
    credential->failed_attempts = 0;
    credential->locked_until.reset();
    credential->updated_at = now;
    WARDEN_RETURN_IF_ERROR(tx.user_credentials().Put(*credential));
    outcome = StartSession(tx, *user, "password", origin, now);
    return outcome.status();
  });
  if (!written.ok()) return written;
  if (counted && throttle_ != nullptr) throttle_->NoteFailure(origin.remote);
  return outcome;
}

// Doubles the lockout for every failure past the threshold.
Status SignInService::CountFailure(Transaction& tx, UserCredential& credential,
                                   Timestamp now) const {
  ++credential.failed_attempts;
  const int64_t over = credential.failed_attempts - policy_.lockout_threshold;
  if (over >= 0) {
    const int64_t shift = std::min<int64_t>(over, 20);
    const std::chrono::seconds lockout = std::min(
        policy_.lockout_base * (int64_t{1} << shift), policy_.lockout_max);
    credential.locked_until = now + lockout;
  }
  credential.updated_at = now;
  return tx.user_credentials().Put(credential);
}

Result<SignedIn> SignInService::StartSession(Transaction& tx, const User& user,
                                             std::string_view method,
                                             const SignInOrigin& origin,
                                             Timestamp now) {
  SignedIn signed_in;
  signed_in.cookie_value = NewSessionCookieValue();
  signed_in.csrf_token = CsrfTokenFor(signed_in.cookie_value);
  signed_in.user = user;
  signed_in.method = std::string(method);
  signed_in.started_at = now;
  signed_in.expires_at = now + policy_.max_age;
  ConsoleSession session;
  session.id_hash = SessionIdHash(signed_in.cookie_value);
  session.user = user.name;
  session.method = signed_in.method;
  session.created_at = session.last_seen_at = now;
  session.expires_at = signed_in.expires_at;
  session.remote = origin.remote;
  session.user_agent = origin.user_agent.substr(
      0, std::min(origin.user_agent.size(), kMaxStoredUserAgent));
  signed_in.idle_expires_at = IdleExpiry(session, policy_);
  WARDEN_RETURN_IF_ERROR(tx.console_sessions().Insert(session));
  WARDEN_RETURN_IF_ERROR(auditor_.RecordInTransaction(
      tx, CallerFor(user, origin, session.id_hash), kSignInAction,
      UserTarget(user.name), {{"method", signed_in.method}}));
  return signed_in;
}

// The outcome is the refusal's code ("unauthenticated",
// "resource_exhausted"), as Auditor::Failed records errors.
Status SignInService::RecordRefusal(Transaction& tx, std::string_view user,
                                    const SignInOrigin& origin,
                                    const Status& refusal,
                                    std::string_view reason,
                                    boost::json::object details) {
  Caller anonymous;
  anonymous.principal.subject = kAnonymousSubject;
  anonymous.remote = origin.remote;
  anonymous.request_id = origin.request_id;
  details["reason"] = reason;
  return auditor_.RecordOutcomeInTransaction(
      tx, anonymous, kSignInAction, UserTarget(user),
      StatusCodeName(refusal.code()), std::move(details));
}

// A refusal decided before any write: recorded in a unit of its own.
Status SignInService::Refuse(std::string_view user, const SignInOrigin& origin,
                             const Status& refusal, std::string_view reason) {
  WARDEN_RETURN_IF_ERROR(store_.Write([&](Transaction& tx) {
    return RecordRefusal(tx, user, origin, refusal, reason);
  }));
  return refusal;
}

Result<SignedIn> SignInService::SignInFederated(const FederatedSignIn& who,
                                                const SignInOrigin& origin) {
  Result<SignedIn> outcome = InvalidCredentials();
  const Status written = store_.Write([&](Transaction& tx) -> Status {
    const Timestamp now = auditor_.clock().Now();
    boost::json::object details{{"issuer", who.issuer},
                                {"subject", who.subject}};
    Result<User> user = tx.users().Get(who.user);
    if (!user.ok() && !IsNotFound(user.status())) return user.status();
    if (!user.ok() && who.role &&
        (*who.role != Role::kAppOwner || !who.team.empty())) {
      User provisioned;
      provisioned.name = who.user;
      provisioned.email = who.email;
      provisioned.role = *who.role;
      provisioned.team = who.team;
      provisioned.created_at = provisioned.updated_at = now;
      WARDEN_RETURN_IF_ERROR(tx.users().Insert(provisioned));
      user = std::move(provisioned);
      details["provisioned"] = true;
    }
    if (!user.ok() || user->disabled) {
      return RecordRefusal(
          tx, who.user, origin, InvalidCredentials(),
          user.ok() ? "user disabled" : "unknown user and no role mapped",
          std::move(details));
    }
    outcome = StartSession(tx, *user, "oidc", origin, now);
    return outcome.status();
  });
  if (!written.ok()) return written;
  return outcome;
}

Result<Principal> SignInService::AuthenticateSession(
    std::string_view cookie_value, std::string_view csrf_token,
    bool changes_state, std::string_view remote, std::string_view request_id) {
  auto refuse = [&](Status refusal, std::string_view reason) -> Status {
    WARDEN_RETURN_IF_ERROR(
        auditor_.AuthenticationFailed(remote, reason, request_id));
    return refusal;
  };
  const Status invalid = Unauthenticated("the console session is not valid");
  if (!IsPlausibleSessionCookie(cookie_value)) {
    return refuse(invalid, "session cookie malformed");
  }
  const std::string id_hash = SessionIdHash(cookie_value);
  Result<ConsoleSession> session = NotFound("session");
  Result<User> user = NotFound("user");
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    session = tx.console_sessions().Get(id_hash);
    if (session.ok()) user = tx.users().Get(session->user);
    for (const Status& read : {session.status(), user.status()}) {
      if (!read.ok() && !IsNotFound(read)) return read;
    }
    return Status::Ok();
  }));
  const Timestamp now = auditor_.clock().Now();
  if (!session.ok()) return refuse(invalid, "session unknown");
  if (session->ended_at) return refuse(invalid, "session ended");
  if (IdleExpiry(*session, policy_) <= now) {
    return refuse(SessionExpired(), "session expired");
  }
  if (!user.ok() || user->disabled) return refuse(invalid, "user disabled");
  const SignInOrigin origin{std::string(remote), {}, std::string(request_id)};
  Caller caller = CallerFor(*user, origin, id_hash);
  if (changes_state &&
      !ConstantTimeEquals(csrf_token, CsrfTokenFor(cookie_value))) {
    WARDEN_RETURN_IF_ERROR(store_.Write([&](Transaction& tx) {
      return auditor_.RecordOutcomeInTransaction(
          tx, caller, "session.csrf", UserTarget(user->name), "deny",
          {{"reason", csrf_token.empty() ? "X-CSRF-Token missing"
                                         : "X-CSRF-Token wrong"}});
    }));
    return Status(StatusCode::kPermissionDenied,
                  "a change made with a console session needs the session's "
                  "X-CSRF-Token header",
                  "csrf-token-invalid");
  }
  if (now - session->last_seen_at >= kSessionTouchInterval) {
    TouchLater(id_hash, now);
  }
  return std::move(caller.principal);
}

Result<SignedIn> SignInService::Describe(std::string_view cookie_value) {
  SignedIn described;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(
        ConsoleSession session,
        tx.console_sessions().Get(SessionIdHash(cookie_value)));
    WARDEN_ASSIGN_OR_RETURN(described.user, tx.users().Get(session.user));
    described.method = session.method;
    described.started_at = session.created_at;
    described.expires_at = session.expires_at;
    // The request that asks has just refreshed the session.
    session.last_seen_at =
        std::max(session.last_seen_at, auditor_.clock().Now());
    described.idle_expires_at = IdleExpiry(session, policy_);
    return Status::Ok();
  }));
  described.csrf_token = CsrfTokenFor(cookie_value);
  return described;
}

Status SignInService::SignOut(const Caller& caller,
                              std::string_view cookie_value) {
  return store_.Write([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(tx.console_sessions().End(
        SessionIdHash(cookie_value), auditor_.clock().Now()));
    return auditor_.RecordInTransaction(tx, caller, "session.end",
                                        UserTarget(caller.principal.user));
  });
}

Status SignInService::Sweep() {
  const Timestamp now = auditor_.clock().Now();
  return store_.Write([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(
        tx.console_sessions()
            .DeleteFinishedBefore(now - kFinishedSessionRetention)
            .status());
    return tx.oidc_logins().DeleteExpired(now).status();
  });
}

// Advisory, like an API token's last use: a lost touch costs at most one
// interval of idle time.
void SignInService::TouchLater(const std::string& id_hash, Timestamp now) {
  store_.WriteAsync(
      [id_hash, now](Transaction& tx) {
        return tx.console_sessions().Touch(id_hash, now);
      },
      [](Status) {});
}

}  // namespace warden::signin
