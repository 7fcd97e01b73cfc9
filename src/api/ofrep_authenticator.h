// OfrepAuthenticator: authentication for the evaluation paths (OFREP and
// the configuration stream), which must answer on the I/O thread without a
// store round trip per request.
//
// Credentials: `X-API-Key: <token>` or `Authorization: Bearer <token>`
// (OFREP 0.3.0 allows either). Accepted roles: sdk (bound to one
// environment, optionally to one tenant) and admin (environment from the
// `environment` query parameter, default development); others get 403.
//
// Cache: SHA-256 of the presented token -> principal, for kAuthCacheTtl.
// A miss authenticates through AccessService (a store read) and writes one
// audit record "ofrep.access" (outcome ok) for the allowed decision:
// evaluations are audited once per token per cache fill, not once per
// request (docs/API.md, "Evaluation audit"). Failures are audited by
// AccessService and never cached. Invalidate() drops every entry (token
// revoked, user disabled).
//
// A miss never runs on an I/O thread: when the request may not block
// (ApiRequest::may_block false: the inline attempt of a
// RouteCost::kInlineFirst route) Authenticate() answers NeedsWorker() and
// the pipeline repeats the request on the worker pool. So a flood of bad
// keys, each a store read and an audit write (an fsync), occupies workers,
// never the I/O threads that answer cached clients. Misses are limited per
// source address (AuthFailureThrottle): past the failure budget a source's
// misses get 429 with Retry-After (summarised in the audit log) without
// touching the store; its cached tokens keep working.
//
// Refresh-ahead: once an entry is older than kAuthCacheRefreshAfter, the
// next request that uses it starts one refresh on the refresh scheduler
// (the worker pool; see RunRefreshesOn) and is answered from the entry,
// which is still valid: requests on the I/O thread do not wait on the store
// while a token is in steady use. The refresh authenticates and audits like
// a fill and replaces the entry; a refresh that finds the token no longer
// valid drops it (the next request gets the refusal), one that finds the
// store down leaves the entry to expire. A refresh that started before an
// Invalidate() does not re-insert its result (a revoked token is refused at
// once). Without a scheduler (tests) entries are only filled on a miss.
//
// Thread-safety: every method may be called from any thread, except
// RunRefreshesOn(), which must be called before the first Authenticate()
// (it sets the scheduler that Authenticate() reads without a lock).
#ifndef WARDEN_API_OFREP_AUTHENTICATOR_H_
#define WARDEN_API_OFREP_AUTHENTICATOR_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/principal.h"
#include "core/shared_mutex.h"
#include "core/thread_annotations.h"
#include "http/api_exchange.h"
#include "inventory/access_service.h"
#include "service/auditor.h"
#include "service/auth_failure_throttle.h"

namespace warden::api {

// How long an authenticated token is trusted without asking the store.
// Revocation through the API invalidates at once, on every replica (the
// change follower); this bounds the delay of changes made behind the
// server's back (straight in the database) or a lost notification path.
inline constexpr std::chrono::seconds kAuthCacheTtl{30};
// Distinct tokens cached; beyond it the cache is cleared (bounded memory
// when clients present many different valid tokens).
inline constexpr size_t kMaxCachedTokens = 10'000;
// Age of an entry after which a use starts a background refresh; the
// remaining kAuthCacheTtl - kAuthCacheRefreshAfter is the time a refresh
// has before requests would have to wait for a fill.
inline constexpr std::chrono::seconds kAuthCacheRefreshAfter{20};

// Who evaluates, in which environment.
struct EvaluationCaller {
  Principal principal;
  Environment environment = Environment::kDevelopment;
};

class OfrepAuthenticator {
 public:
  // `throttle` (borrowed; null: no per-source limit) must outlive this.
  OfrepAuthenticator(inventory::AccessService& access, Store& store,
                     Auditor& auditor, const Clock& clock,
                     AuthFailureThrottle* throttle = nullptr)
      : access_(access),
        store_(store),
        auditor_(auditor),
        clock_(clock),
        throttle_(throttle) {}

  // kUnauthenticated (401), kPermissionDenied (403: role, or an sdk token
  // asking for another environment), kInvalidArgument (bad environment),
  // kUnavailable (store or audit down), kResourceExhausted (429: the
  // source's failure budget is spent; retry hint set), or NeedsWorker()
  // for a miss when !request.may_block.
  Result<EvaluationCaller> Authenticate(const ApiRequest& request);

  // The per-source failure limit for credentials checked elsewhere (OFREP
  // event-stream tickets): AdmitAttempt() before the check (OK, or the
  // throttle's refusal), NoteFailure() after a failed one.
  Status AdmitAttempt(std::string_view action, const ApiRequest& request);
  void NoteFailure(const ApiRequest& request);

  void Invalidate();

  // Runs a refresh task off the calling thread (e.g. posts it to the
  // worker pool). Call before serving; tasks must run before the store
  // closes (the pool is joined first).
  using RefreshScheduler = std::function<void(std::function<void()>)>;
  void RunRefreshesOn(RefreshScheduler scheduler);

 private:
  struct Entry {
    Principal principal;
    Timestamp expires_at;
    Timestamp refresh_at;
    bool refreshing = false;
  };
  // What a refresh needs from the request that started it.
  struct RefreshRequest {
    std::string key;
    std::string token;
    std::string remote;
    std::string request_id;
    std::string route;
    uint64_t generation = 0;
  };
  Result<Principal> Resolve(const ApiRequest& request, std::string_view token);
  // Authenticates against the store and audits the access (a fill).
  Result<Principal> Fill(std::string_view token, const std::string& remote,
                         const std::string& request_id, std::string_view route);
  void Insert(const std::string& key, Principal principal, Timestamp now,
              uint64_t generation) WARDEN_EXCLUDES(mu_);
  bool ClaimRefresh(const std::string& key, Timestamp now) WARDEN_EXCLUDES(mu_);
  void Refresh(const RefreshRequest& refresh);
  Status AuditAccess(const Principal& principal, const std::string& remote,
                     const std::string& request_id, std::string_view route);

  // Immutable after construction.
  inventory::AccessService& access_;
  Store& store_;
  Auditor& auditor_;
  const Clock& clock_;
  AuthFailureThrottle* const throttle_;  // may be null

  RefreshScheduler scheduler_;  // set before serving, then read-only

  SharedMutex mu_;
  std::unordered_map<std::string, Entry> cache_ WARDEN_GUARDED_BY(mu_);
  // Bumped by Invalidate().
  uint64_t generation_ WARDEN_GUARDED_BY(mu_) = 0;
};

// The environment an authenticated caller evaluates in.
Result<Environment> EvaluationEnvironment(const Principal& principal,
                                          const ApiRequest& request);

}  // namespace warden::api

#endif  // WARDEN_API_OFREP_AUTHENTICATOR_H_
