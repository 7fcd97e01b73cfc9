#include "http/ofrep_authenticator.h"

#include <mutex>

#include "core/crypto.h"

namespace warden {
namespace {

constexpr std::string_view kBearerScheme = "bearer ";

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// X-API-Key wins over Authorization (OFREP names both).
std::string_view PresentedToken(const ApiRequest& request) {
  if (!request.api_key.empty()) return request.api_key;
  std::string_view header = request.authorization;
  if (!StartsWithIgnoringCase(header, kBearerScheme)) return {};
  std::string_view token = header.substr(kBearerScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return token;
}

std::string QueryValue(const ApiRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) return value;
  }
  return {};
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
  const std::string key = Sha256Hex(token);
  const Timestamp now = clock_.Now();
  {
    std::shared_lock lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires_at > now) {
      return it->second.principal;
    }
  }
  WARDEN_ASSIGN_OR_RETURN(
      Principal principal,
      access_.Authenticate(token, request.remote, request.request_id));
  WARDEN_RETURN_IF_ERROR(AuditAccess(principal, request));
  std::unique_lock lock(mu_);
  if (cache_.size() >= kMaxCachedTokens) cache_.clear();
  cache_[key] = Entry{principal, now + kAuthCacheTtl};
  return principal;
}

// The one audit record of a cache fill: the allowed evaluation access.
Status OfrepAuthenticator::AuditAccess(const Principal& principal,
                                       const ApiRequest& request) {
  Caller caller{principal, request.request_id, request.remote};
  boost::json::object details{
      {"cached_for_seconds", kAuthCacheTtl.count()},
      {"route", request.target.substr(0, request.target.find('?'))}};
  const Status status = store_.Write([&](Transaction& tx) {
    return auditor_.RecordInTransaction(tx, caller, "ofrep.access", "flags",
                                        details);
  });
  if (status.ok()) return status;
  return Unavailable("audit log unavailable: " + status.message());
}

void OfrepAuthenticator::Invalidate() {
  std::unique_lock lock(mu_);
  cache_.clear();
}

Result<Environment> EvaluationEnvironment(const Principal& principal,
                                          const ApiRequest& request) {
  const std::string asked = QueryValue(request, "environment");
  std::optional<Environment> env;
  if (!asked.empty()) {
    env = ParseEnvironment(asked);
    if (!env) {
      return InvalidArgument(
          "unknown environment \"" + asked.substr(0, 64) + "\"",
          "bad-query-parameter");
    }
  }
  if (principal.role == Role::kSdk) {
    if (!principal.environment) {
      return PermissionDenied("sdk token is not bound to an environment");
    }
    if (env && *env != *principal.environment) {
      return PermissionDenied("sdk token is bound to environment " +
                              std::string(Name(*principal.environment)));
    }
    return *principal.environment;
  }
  return env.value_or(Environment::kDevelopment);
}

}  // namespace warden
