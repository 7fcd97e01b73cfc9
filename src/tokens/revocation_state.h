// RevocationState: which issued access tokens are no longer active, without
// one stored row per issued token (the lease explosion that hurts Vault).
//
// Three small structures decide it:
//   - per-subject (identity) not-before epochs: revoking or suspending an
//     identity sets its epoch to "now", and every token issued before it
//     reads inactive;
//   - per-tenant epochs, for exposure limits that revoke the live tokens
//     tied to a tenant;
//   - a jti deny-list for single-token revocation (RFC 7009), each entry
//     kept only until that token's exp.
// Size is bounded by revocations within one max token lifetime, not by
// issuance: Prune() drops deny-list entries of expired tokens and epochs
// older than the longest token lifetime (no token issued before such an
// epoch can still be live, so the epoch has nothing left to refuse).
//
// Epoch comparison is on whole seconds (iat is a NumericDate): a token
// issued in the same second as, but after, a revocation also reads
// inactive. That errs on the safe side; the client simply asks again.
//
// Serialize()/Parse() turn the state into a compact JSON document for the
// store. This class does no I/O.
//
// Thread-safety: all methods may be called concurrently; reads take a
// shared lock, writes an exclusive one.
#ifndef WARDEN_TOKENS_REVOCATION_STATE_H_
#define WARDEN_TOKENS_REVOCATION_STATE_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/shared_mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "tokens/access_token_claims.h"

namespace warden::tokens {

class RevocationState {
 public:
  // Bounds the deny-list (entries of live tokens); past it, RevokeToken()
  // returns kResourceExhausted and the caller revokes the whole identity.
  static constexpr size_t kDefaultMaxDeniedTokens = 1'000'000;
  // Bounds a serialised document accepted by Parse().
  static constexpr size_t kMaxSerializedBytes = 64 * 1024 * 1024;

  explicit RevocationState(size_t max_denied_tokens = kDefaultMaxDeniedTokens);

  RevocationState(const RevocationState&) = delete;
  RevocationState& operator=(const RevocationState&) = delete;

  // Tokens of `subject` (or bound to `tenant`) with iat < `not_before` read
  // inactive. A later epoch replaces an earlier one, never the reverse.
  void RevokeSubject(std::string_view subject, Timestamp not_before);
  void RevokeTenant(std::string_view tenant, Timestamp not_before);
  // Denies one token until `expires_at`. kInvalidArgument for an empty jti;
  // kResourceExhausted when the deny-list is full.
  Status RevokeToken(std::string_view jti, Timestamp expires_at);

  // OK when active; TokenFailure(kExpired) past exp, else
  // TokenFailure(kInactive) naming the rule (subject, tenant or jti).
  Status CheckActive(const AccessTokenClaims& claims, Timestamp now) const;
  bool IsActive(const AccessTokenClaims& claims, Timestamp now) const {
    return CheckActive(claims, now).ok();
  }

  // Takes in every revocation `other` holds (the later epoch of each
  // subject and tenant, the union of denied tokens): how replicas sharing
  // one stored state combine theirs. May exceed the deny-list bound by
  // what `other` adds (each replica enforced it when revoking).
  void MergeFrom(const RevocationState& other);

  // Drops what can no longer refuse anything; returns how many entries.
  size_t Prune(Timestamp now, std::chrono::seconds max_token_lifetime);

  // {"v":1,"subjects":{id:epoch_us},"tenants":{..},"denied":{jti:exp_us}}
  std::string Serialize() const;
  // kInvalidArgument on a malformed or oversized document.
  static Result<std::unique_ptr<RevocationState>> Parse(
      std::string_view text,
      size_t max_denied_tokens = kDefaultMaxDeniedTokens);

  size_t denied_tokens() const;

 private:
  using TimeMap = std::unordered_map<std::string, Timestamp>;

  static void RaiseEpoch(TimeMap& map, std::string_view key, Timestamp t);

  const size_t max_denied_tokens_;  // immutable after construction

  mutable SharedMutex mu_;
  TimeMap subject_epochs_ WARDEN_GUARDED_BY(mu_);
  TimeMap tenant_epochs_ WARDEN_GUARDED_BY(mu_);
  TimeMap denied_ WARDEN_GUARDED_BY(mu_);  // jti -> exp
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_REVOCATION_STATE_H_
