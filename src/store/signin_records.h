// Stored forms of how Warden's human users sign in to the console: their
// credentials (password hash, sealed TOTP key, failure counters), their
// console sessions, and the short-lived state of an OpenID Connect login
// between the redirect to the provider and its callback.
//
// All three live in the store, not in process memory, so that any replica
// can check a session, count a failure or finish a login another replica
// started. Secrets never appear in clear: the password as an Argon2id hash,
// the session by the SHA-256 of its cookie value, the TOTP key sealed by
// the sign-in domain.
#ifndef WARDEN_STORE_SIGNIN_RECORDS_H_
#define WARDEN_STORE_SIGNIN_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

// One per user that has ever had a password or TOTP set.
struct UserCredential {
  std::string user;
  std::string password_hash;    // crypto_pwhash_str (Argon2id); "" = none
  std::string totp_sealed;      // sealed TOTP key (sign-in domain); "" = none
  int64_t totp_last_step = 0;   // the last accepted RFC 6238 step (replay)
  int64_t failed_attempts = 0;  // consecutive, reset by a success
  std::optional<Timestamp> locked_until;
  Timestamp updated_at{};
};

// A console session. The cookie carries a random secret; the store keeps
// only its SHA-256, as for API tokens.
struct ConsoleSession {
  std::string id_hash;  // hex SHA-256 of the cookie value
  std::string user;
  std::string method;  // "password" or "oidc"
  Timestamp created_at{};
  Timestamp last_seen_at{};           // coarse: refreshed at most once a minute
  Timestamp expires_at{};             // absolute limit
  std::optional<Timestamp> ended_at;  // signed out or ended by an admin
  std::string remote;
  std::string user_agent;
};

// An OIDC authorization-code login between start and callback; single use.
struct OidcLogin {
  std::string state_hash;  // hex SHA-256 of the `state` parameter
  std::string nonce;
  std::string code_verifier;  // RFC 7636; lives minutes, deleted on use
  std::string return_to;      // a same-origin path
  Timestamp created_at{};
  Timestamp expires_at{};
};

class UserCredentialRepository {
 public:
  virtual ~UserCredentialRepository() = default;
  // kNotFound when the user has no credential row.
  virtual Result<UserCredential> Get(std::string_view user) = 0;
  virtual Status Put(const UserCredential& credential) = 0;  // upsert
};

class ConsoleSessionRepository {
 public:
  virtual ~ConsoleSessionRepository() = default;
  virtual Status Insert(const ConsoleSession& session) = 0;
  // kNotFound when absent.
  virtual Result<ConsoleSession> Get(std::string_view id_hash) = 0;
  // Marks the session ended; kNotFound when absent.
  virtual Status End(std::string_view id_hash, Timestamp at) = 0;
  // Ends every live session of `user` (disabled, password changed);
  // returns how many.
  virtual Result<int64_t> EndAllOf(std::string_view user, Timestamp at) = 0;
  // Sets last_seen_at = max(stored, at). Advisory, like a token's
  // last use: a missing id is ignored.
  virtual Status Touch(std::string_view id_hash, Timestamp at) = 0;
  // Deletes sessions that expired or ended before `before`.
  virtual Result<int64_t> DeleteFinishedBefore(Timestamp before) = 0;
};

class OidcLoginRepository {
 public:
  virtual ~OidcLoginRepository() = default;
  virtual Status Insert(const OidcLogin& login) = 0;
  // Reads and deletes (single use); kNotFound when absent.
  virtual Result<OidcLogin> Take(std::string_view state_hash) = 0;
  virtual Result<int64_t> DeleteExpired(Timestamp now) = 0;
};

}  // namespace warden

#endif  // WARDEN_STORE_SIGNIN_RECORDS_H_
