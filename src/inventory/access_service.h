// Warden's own users and API tokens, and authentication of presented tokens.
// Thread-safe.
#ifndef WARDEN_INVENTORY_ACCESS_SERVICE_H_
#define WARDEN_INVENTORY_ACCESS_SERVICE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_token.h"
#include "service/auditor.h"
#include "service/invalidated_cache.h"
#include "store/change_feed.h"

namespace warden::inventory {

struct TokenRequest {
  std::string user;  // optional: token acts as this user (inherits role/team)
  std::optional<Role> role;                // required without user
  std::string team;                        // required for app_owner
  std::optional<Environment> environment;  // required for sdk
  std::string tenant;                      // sdk only: bound tenant
  std::string description;
  std::chrono::seconds ttl{std::chrono::hours(24 * 90)};  // max 365 days
};

struct IssuedToken {
  ApiToken token;      // as stored (hash only)
  std::string secret;  // "wdn_..." shown once, never stored or logged
};

class AccessService {
 public:
  AccessService(Store& store, Auditor& auditor)
      : store_(store), auditor_(auditor) {}

  // Resolves a presented bearer token to its principal. Unknown, expired,
  // revoked tokens and disabled users give kUnauthenticated; every failure
  // is audited (without the token text). Success is not audited here: the
  // service call that follows records the allowed decision. The lookup is by
  // SHA-256 of the token, then a constant-time comparison of the hashes.
  // With CacheAuthentications(), a token seen before is resolved from
  // memory (no store read) until its row or its user's changes, it
  // expires, or kAuthenticationCacheTtl passes.
  Result<Principal> Authenticate(std::string_view presented,
                                 std::string_view remote,
                                 std::string_view request_id);

  // Authenticate's answer for a token seen before, from memory alone (a
  // due last-use stamp is queued, not awaited); nullopt when the cache
  // cannot answer (never seen, evicted, expired, caching off): then
  // Authenticate decides, where it may block.
  std::optional<Principal> CachedAuthentication(std::string_view presented);

  // The same checks for a token named by id (an OFREP event-stream ticket
  // carries the id, never the secret): unknown, expired, revoked tokens and
  // disabled users give kUnauthenticated, audited like Authenticate's.
  Result<Principal> AuthenticateTokenId(std::string_view token_id,
                                        std::string_view remote,
                                        std::string_view request_id);

  Result<User> CreateUser(const Caller& caller, User user);
  Result<User> GetUser(const Caller& caller, std::string_view name);
  Result<std::vector<User>> ListUsers(const Caller& caller);
  Result<User> SetUserDisabled(const Caller& caller, std::string_view name,
                               bool disabled);

  // Caches successful authentications, evicted by `feed` (the store's
  // change feed; borrowed, must outlive this). Call before serving.
  void CacheAuthentications(ChangeFeed& feed);

  Result<IssuedToken> CreateToken(const Caller& caller,
                                  const TokenRequest& request);
  Result<std::vector<ApiToken>> ListTokens(const Caller& caller);
  Result<ApiToken> RevokeToken(const Caller& caller, std::string_view id);

  // First start: when no token exists, creates an admin token for the
  // "bootstrap" subject and returns its secret; nullopt when already done.
  Result<std::optional<std::string>> BootstrapAdminToken();

  // Called (on the calling thread) after a token is revoked or a user is
  // disabled or enabled, so caches of authenticated principals (OFREP) can
  // drop them at once. Set during setup, before serving.
  void set_credentials_changed_listener(std::function<void()> listener) {
    credentials_changed_ = std::move(listener);
  }

 private:
  struct CachedToken;
  void StampLastUsed(const std::string& token_id, Timestamp now);
  std::optional<Principal> FindCached(const std::string& hash, Timestamp now);
  void Cache(const std::string& hash, const ApiToken& token,
             const Principal& principal, uint64_t generation, Timestamp now);
  Status Refused(const Status& error, std::string_view remote,
                 std::string_view request_id, std::string_view which);
  void NotifyCredentialsChanged() const {
    if (credentials_changed_) credentials_changed_();
  }

  Store& store_;
  Auditor& auditor_;
  std::function<void()> credentials_changed_;  // set before serving
  // Null until CacheAuthentications(); set before serving.
  std::unique_ptr<InvalidatedCache<CachedToken>> cache_;
};

// How long a cached authentication is trusted without a change published
// for its rows: bounds what a change made outside this process's store
// (another replica without a shared feed) can take to apply.
inline constexpr std::chrono::seconds kAuthenticationCacheTtl{30};
inline constexpr size_t kMaxCachedAuthentications = 10'000;

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_ACCESS_SERVICE_H_
