#include "api/ofrep_authenticator.h"

#include <optional>
#include <utility>

#include "core/crypto.h"
#include "http/router.h"

namespace warden::api {
namespace {

// X-API-Key wins over Authorization (OFREP names both).
std::string_view PresentedToken(const ApiRequest& request) {
  if (!request.api_key.empty()) return request.api_key;
  return BearerCredential(request.authorization);
}

}  // namespace

Result<EvaluationCaller> OfrepAuthenticator::Authenticate(
    const ApiRequest& request) {
  std::string_view token = PresentedToken(request);
  WARDEN_ASSIGN_OR_RETURN(Principal principal, Resolve(request, token));
  if (principal.role != Role::kSdk && principal.role != Role::kAdmin) {
    return PermissionDenied("role " + std::string(Name(principal.role)) +
                            " may not evaluate flags; use an sdk token");
  }
  WARDEN_ASSIGN_OR_RETURN(Environment env,
                          EvaluationEnvironment(principal, request));
  return EvaluationCaller{std::move(principal), env};
}

Result<Principal> OfrepAuthenticator::Resolve(const ApiRequest& request,
                                              std::string_view token) {
  std::string key = Sha256Hex(token);
  const Timestamp now = clock_.Now();
  uint64_t generation = 0;
  std::optional<Principal> still_valid;  // due for a refresh
  {
    ReaderMutexLock lock(mu_);
    generation = generation_;
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires_at > now) {
      const Entry& entry = it->second;
      if (!scheduler_ || entry.refreshing || entry.refresh_at > now) {
        return entry.principal;
      }
      still_valid = entry.principal;
    }
  }
  const std::string_view route =
      std::string_view(request.target).substr(0, request.target.find('?'));
  if (still_valid) {
    if (ClaimRefresh(key, now)) {
      scheduler_([this, refresh = RefreshRequest{
                            std::move(key), std::string(token), request.remote,
                            request.request_id, std::string(route),
                            generation}] { Refresh(refresh); });
    }
    return *std::move(still_valid);
  }
  if (!request.may_block) return NeedsWorker();
  WARDEN_RETURN_IF_ERROR(AdmitAttempt("ofrep.access", request));
  Result<Principal> principal =
      Fill(token, request.remote, request.request_id, route);
  if (principal.status().code() == StatusCode::kUnauthenticated) {
    NoteFailure(request);
  }
  if (!principal.ok()) return principal.status();
  Insert(key, *principal, now, generation);
  return std::move(principal).value();
}

Status OfrepAuthenticator::AdmitAttempt(std::string_view action,
                                        const ApiRequest& request) {
  if (throttle_ == nullptr) return Status::Ok();
  return throttle_->Admit(action, request.remote, request.request_id);
}

void OfrepAuthenticator::NoteFailure(const ApiRequest& request) {
  if (throttle_ != nullptr) throttle_->NoteFailure(request.remote);
}

Result<Principal> OfrepAuthenticator::Fill(std::string_view token,
                                           const std::string& remote,
                                           const std::string& request_id,
                                           std::string_view route) {
  WARDEN_ASSIGN_OR_RETURN(Principal principal,
                          access_.Authenticate(token, remote, request_id));
  WARDEN_RETURN_IF_ERROR(AuditAccess(principal, remote, request_id, route));
  return principal;
}

// Not after an Invalidate() that happened since `generation` was read: the
// store answer may predate the revocation that caused it.
void OfrepAuthenticator::Insert(const std::string& key, Principal principal,
                                Timestamp now, uint64_t generation) {
  WriterMutexLock lock(mu_);
  if (generation != generation_) return;
  if (cache_.size() >= kMaxCachedTokens && !cache_.contains(key)) {
    cache_.clear();
  }
  cache_[key] = Entry{std::move(principal), now + kAuthCacheTtl,
                      now + kAuthCacheRefreshAfter};
}

// True for the one caller that gets to refresh the entry.
bool OfrepAuthenticator::ClaimRefresh(const std::string& key, Timestamp now) {
  WriterMutexLock lock(mu_);
  auto it = cache_.find(key);
  if (it == cache_.end() || it->second.refreshing ||
      it->second.refresh_at > now) {
    return false;
  }
  it->second.refreshing = true;
  return true;
}

void OfrepAuthenticator::Refresh(const RefreshRequest& refresh) {
  const Timestamp now = clock_.Now();
  Result<Principal> principal =
      Fill(refresh.token, refresh.remote, refresh.request_id, refresh.route);
  if (principal.ok()) {
    return Insert(refresh.key, std::move(principal).value(), now,
                  refresh.generation);
  }
  WriterMutexLock lock(mu_);
  auto it = cache_.find(refresh.key);
  if (it == cache_.end()) return;
  if (principal.status().code() == StatusCode::kUnavailable) {
    it->second.refreshing = false;  // store down: retry on a later use
    return;
  }
  cache_.erase(it);  // no longer valid: the next use is refused
}

// The one audit record of a cache fill: the allowed evaluation access.
Status OfrepAuthenticator::AuditAccess(const Principal& principal,
                                       const std::string& remote,
                                       const std::string& request_id,
                                       std::string_view route) {
  Caller caller{principal, request_id, remote};
  boost::json::object details{{"cached_for_seconds", kAuthCacheTtl.count()},
                              {"route", route}};
  const Status status = store_.Write([&](Transaction& tx) {
    return auditor_.RecordInTransaction(tx, caller, "ofrep.access", "flags",
                                        details);
  });
  if (status.ok()) return status;
  return Unavailable("audit log unavailable: " + status.message());
}

void OfrepAuthenticator::Invalidate() {
  WriterMutexLock lock(mu_);
  ++generation_;
  cache_.clear();
}

void OfrepAuthenticator::RunRefreshesOn(RefreshScheduler scheduler) {
  scheduler_ = std::move(scheduler);
}

Result<Environment> EvaluationEnvironment(const Principal& principal,
                                          const ApiRequest& request) {
  const std::string_view asked =
      QueryParameter(request, "environment").value_or("");
  std::optional<Environment> env;
  if (!asked.empty()) {
    env = ParseEnvironment(asked);
    if (!env) {
      return InvalidArgument(
          "unknown environment \"" + std::string(asked.substr(0, 64)) + "\"",
          "bad-query-parameter");
    }
  }
  if (principal.role == Role::kSdk) {
    if (!principal.environment) {
      return PermissionDenied("sdk token is not bound to an environment");
    }
    // Names both sides: an SDK configured for the wrong environment must
    // be told which one its token is for.
    if (env && *env != *principal.environment) {
      return PermissionDenied("the sdk token is bound to environment " +
                              std::string(Name(*principal.environment)) +
                              "; the client asked for " +
                              std::string(Name(*env)));
    }
    return *principal.environment;
  }
  return env.value_or(Environment::kDevelopment);
}

}  // namespace warden::api
