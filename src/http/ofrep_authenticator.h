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
// A miss authenticates through AccessService (a store read, blocking the
// calling thread once per token per TTL) and writes one audit record
// "ofrep.access" (outcome ok) for the allowed decision: evaluations are
// audited once per token per cache fill, not once per request (docs/API.md,
// "Evaluation audit"). Failures are audited by AccessService and never
// cached. Invalidate() drops every entry (token revoked, user disabled).
//
// Thread-safety: every method may be called from any thread.
#ifndef WARDEN_HTTP_OFREP_AUTHENTICATOR_H_
#define WARDEN_HTTP_OFREP_AUTHENTICATOR_H_

#include <chrono>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/principal.h"
#include "http/api_exchange.h"
#include "service/access_service.h"
#include "service/auditor.h"

namespace warden {

// How long an authenticated token is trusted without asking the store.
// Revocation through the API invalidates at once; this bounds the delay of
// changes made behind the server's back (another replica, the database).
inline constexpr std::chrono::seconds kAuthCacheTtl{30};
// Distinct tokens cached; beyond it the cache is cleared (bounded memory
// when clients present many different valid tokens).
inline constexpr size_t kMaxCachedTokens = 10'000;

// Who evaluates, in which environment.
struct EvaluationCaller {
  Principal principal;
  Environment environment = Environment::kDevelopment;
};

class OfrepAuthenticator {
 public:
  OfrepAuthenticator(AccessService& access, Store& store, Auditor& auditor,
                     const Clock& clock)
      : access_(access), store_(store), auditor_(auditor), clock_(clock) {}

  // kUnauthenticated (401), kPermissionDenied (403: role, or an sdk token
  // asking for another environment), kInvalidArgument (bad environment),
  // kUnavailable (store or audit down).
  Result<EvaluationCaller> Authenticate(const ApiRequest& request);

  void Invalidate();

 private:
  struct Entry {
    Principal principal;
    Timestamp expires_at;
  };
  Result<Principal> Resolve(const ApiRequest& request, std::string_view token);
  Status AuditAccess(const Principal& principal, const ApiRequest& request);

  AccessService& access_;
  Store& store_;
  Auditor& auditor_;
  const Clock& clock_;
  std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> cache_;  // guarded by mu_
};

// The environment an authenticated caller evaluates in.
Result<Environment> EvaluationEnvironment(const Principal& principal,
                                          const ApiRequest& request);

}  // namespace warden

#endif  // WARDEN_HTTP_OFREP_AUTHENTICATOR_H_
