// Presented tokens are looked up by their SHA-256 and the stored hash is
// compared in constant time; the token text itself never reaches a log or
// an audit record (a short prefix of its hash identifies it instead).
#include "inventory/access_service.h"

#include <fmt/format.h>

#include <atomic>

#include "core/crypto.h"
#include "core/id.h"
#include "core/time_format.h"
#include "inventory/identity_rules.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "service/system_caller.h"

namespace warden::inventory {
namespace {

constexpr size_t kSecretBytes = 32;
// A real token is 4 + 43 characters; anything much longer is not one and is
// rejected before hashing an attacker-sized string.
constexpr size_t kMaxPresentedTokenLength = 256;
constexpr size_t kFingerprintLength = 8;
constexpr size_t kMaxEmailLength = 254;  // RFC 5321 path limit
constexpr auto kMaxTokenTtl = std::chrono::days(365);
// last_used_at is advisory: one write per token per interval is enough.
constexpr auto kLastUsedResolution = std::chrono::minutes(1);
constexpr char kBootstrapSubject[] = "bootstrap";

struct Resolved {
  ApiToken token;
  Principal principal;
};

std::string TokenTarget(std::string_view id) {
  return fmt::format("token/{}", id);
}
std::string UserTarget(std::string_view name) {
  return fmt::format("user/{}", name);
}

Principal PrincipalOf(const ApiToken& token) {
  Principal p;
  p.subject = token.user.empty() ? "token:" + token.id : token.user;
  p.user = token.user;
  p.token_id = token.id;
  p.role = token.role;
  p.team = token.team;
  p.environment = token.environment;
  p.tenant = token.tenant;
  return p;
}

Result<Resolved> CheckActive(Transaction& tx, const ApiToken& token,
                             Timestamp now);

Result<Resolved> Resolve(Transaction& tx, std::string_view hash,
                         Timestamp now) {
  Result<ApiToken> found = tx.api_tokens().GetBySecretHash(hash);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    return Unauthenticated("API token is not recognised");
  }
  const ApiToken& token = *found;
  if (!ConstantTimeEquals(token.secret_hash, hash)) {
    return Unauthenticated("API token is not recognised");
  }
  return CheckActive(tx, token, now);
}

Result<Resolved> CheckActive(Transaction& tx, const ApiToken& token,
                             Timestamp now) {
  if (token.revoked_at.has_value()) {
    return Unauthenticated("API token has been revoked");
  }
  if (token.expires_at <= now) return Unauthenticated("API token has expired");
  if (!token.user.empty()) {
    Result<User> user = tx.users().Get(token.user);
    if (!user.ok() && user.status().code() != StatusCode::kNotFound) {
      return user.status();
    }
    if (!user.ok() || user->disabled) {
      return Unauthenticated("the API token's user is disabled or unknown");
    }
  }
  return Resolved{token, PrincipalOf(token)};
}

bool IsStale(const std::optional<Timestamp>& last_used_at, Timestamp now) {
  return !last_used_at.has_value() ||
         now - *last_used_at >= kLastUsedResolution;
}

IssuedToken Mint(ApiToken token, Timestamp now, std::chrono::seconds ttl) {
  IssuedToken issued;
  issued.secret = kApiTokenPrefix + Base64UrlEncode(RandomBytes(kSecretBytes));
  token.id = NewId(now);
  token.secret_hash = Sha256Hex(issued.secret);
  token.created_at = now;
  token.expires_at = now + ttl;
  token.revoked_at.reset();
  token.last_used_at.reset();
  issued.token = std::move(token);
  return issued;
}

boost::json::object Describe(const ApiToken& token) {
  return {{"token_id", token.id},
          {"user", token.user},
          {"role", Name(token.role)},
          {"team", token.team},
          {"environment",
           token.environment ? Name(*token.environment) : std::string_view()},
          {"tenant", token.tenant},
          {"expires_at", FormatRfc3339(token.expires_at)}};
}

Status CheckTeamExists(Transaction& tx, std::string_view team) {
  Result<Team> found = tx.teams().Get(team);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found.status();
  }
  return FailedPrecondition(fmt::format("team \"{}\" is not registered", team),
                            "unknown-team");
}

Status CheckRoleBinding(Transaction& tx, Role role, std::string_view team) {
  if (role == Role::kAppOwner && team.empty()) {
    return FieldError("team", "is required for role app_owner");
  }
  if (team.empty()) return Status::Ok();
  WARDEN_RETURN_IF_ERROR(CheckName("team", team, kMaxNameLength));
  return CheckTeamExists(tx, team);
}

Status CheckUser(Transaction& tx, const User& user) {
  WARDEN_RETURN_IF_ERROR(CheckName("name", user.name, kMaxNameLength));
  if (user.name.find(':') != std::string::npos) {
    return FieldError("name", "may not contain ':'");
  }
  if (user.name == kSystemSubject || user.name == kAnonymousSubject ||
      user.name == kBootstrapSubject) {
    return FieldError("name", fmt::format("\"{}\" is reserved", user.name));
  }
  WARDEN_RETURN_IF_ERROR(CheckText("email", user.email, kMaxEmailLength));
  return CheckRoleBinding(tx, user.role, user.team);
}

// Fills role and team of `token` from the request (or the user it acts as).
Status BindToken(Transaction& tx, const TokenRequest& request,
                 ApiToken& token) {
  if (!request.user.empty()) {
    Result<User> user = tx.users().Get(request.user);
    if (!user.ok() && user.status().code() == StatusCode::kNotFound) {
      return FieldError("user",
                        fmt::format("\"{}\" does not exist", request.user));
    }
    WARDEN_RETURN_IF_ERROR(user.status());
    if (user->disabled) return FieldError("user", "is disabled");
    if (request.role.has_value() && *request.role != user->role) {
      return FieldError("role", "a user's token inherits the user's role");
    }
    token.user = user->name;
    token.role = user->role;
    token.team = user->team;
  } else {
    if (!request.role.has_value()) {
      return FieldError("role", "is required when no user is given");
    }
    token.role = *request.role;
    token.team = request.team;
  }
  return CheckRoleBinding(tx, token.role, token.team);
}

Status CheckSdkBinding(const TokenRequest& request, Role role) {
  if (role == Role::kSdk) {
    if (!request.environment.has_value()) {
      return FieldError("environment", "is required for role sdk");
    }
    if (!request.tenant.empty()) {
      return CheckName("tenant", request.tenant, kMaxNameLength);
    }
    return Status::Ok();
  }
  if (request.environment.has_value()) {
    return FieldError("environment", "only sdk tokens are bound to one");
  }
  if (!request.tenant.empty()) {
    return FieldError("tenant", "only sdk tokens are bound to one");
  }
  return Status::Ok();
}

Status CheckTtl(std::chrono::seconds ttl) {
  if (ttl < std::chrono::seconds(1) || ttl > kMaxTokenTtl) {
    return FieldError("ttl", "must be between 1 second and 365 days");
  }
  return Status::Ok();
}

Result<User> LoadUser(Transaction& tx, std::string_view name) {
  Result<User> found = tx.users().Get(name);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("user \"{}\" does not exist", name));
}

}  // namespace

// A cached authentication: the principal and what decides whether the
// token still holds without asking the store. Tagged with the token's and
// its user's ChangeKeys, so a revocation or a disabled user evicts it.
struct AccessService::CachedToken {
  Principal principal;
  std::string token_id;
  Timestamp expires_at;
  std::optional<Timestamp> last_used_at;
  // Set by the request that schedules the usage stamp, so one does.
  mutable std::atomic<bool> stamp_claimed{false};
};

void AccessService::CacheAuthentications(ChangeFeed& feed) {
  cache_ = std::make_unique<InvalidatedCache<CachedToken>>(
      feed, kAuthenticationCacheTtl, kMaxCachedAuthentications);
}

Result<Principal> AccessService::Authenticate(std::string_view presented,
                                              std::string_view remote,
                                              std::string_view request_id) {
  const Timestamp now = auditor_.clock().Now();
  const bool plausible = presented.size() <= kMaxPresentedTokenLength &&
                         presented.starts_with(kApiTokenPrefix);
  const std::string hash = Sha256Hex(presented.substr(
      0, std::min(presented.size(), kMaxPresentedTokenLength)));
  // Keyed by the token's SHA-256, as the store's lookup is: comparing
  // digests reveals nothing about the token.
  if (cache_ != nullptr && plausible) {
    if (std::optional<Principal> cached = FindCached(hash, now)) {
      return std::move(*cached);
    }
  }
  const uint64_t generation = cache_ != nullptr ? cache_->BeginFill() : 0;
  Result<Resolved> resolved = Unauthenticated("API token is malformed");
  if (plausible) {
    const Status read = store_.Read([&](Transaction& tx) -> Status {
      resolved = Resolve(tx, hash, now);
      return Status::Ok();
    });
    if (!read.ok()) return read;
  }
  if (!resolved.ok()) {
    return Refused(resolved.status(), remote, request_id,
                   "fingerprint " + hash.substr(0, kFingerprintLength));
  }
  const ApiToken& token = resolved->token;
  if (IsStale(token.last_used_at, now)) StampLastUsed(token.id, now);
  if (cache_ != nullptr)
    Cache(hash, token, resolved->principal, generation, now);
  return std::move(resolved->principal);
}

std::optional<Principal> AccessService::CachedAuthentication(
    std::string_view presented) {
  if (cache_ == nullptr || presented.size() > kMaxPresentedTokenLength ||
      !presented.starts_with(kApiTokenPrefix)) {
    return std::nullopt;
  }
  return FindCached(Sha256Hex(presented), auditor_.clock().Now());
}

std::optional<Principal> AccessService::FindCached(const std::string& hash,
                                                   Timestamp now) {
  std::shared_ptr<const CachedToken> cached = cache_->Find(hash, now);
  if (cached == nullptr || cached->expires_at <= now) return std::nullopt;
  if (IsStale(cached->last_used_at, now) &&
      !cached->stamp_claimed.exchange(true)) {
    StampLastUsed(cached->token_id, now);
  }
  return cached->principal;
}

void AccessService::Cache(const std::string& hash, const ApiToken& token,
                          const Principal& principal, uint64_t generation,
                          Timestamp now) {
  auto cached = std::make_shared<CachedToken>();
  cached->principal = principal;
  cached->token_id = token.id;
  cached->expires_at = token.expires_at;
  cached->last_used_at = token.last_used_at;
  cached->stamp_claimed = IsStale(token.last_used_at, now);  // stamped above
  std::vector<std::string> tags = {ChangeKey::ApiToken(token.id)};
  if (!token.user.empty()) tags.push_back(ChangeKey::User(token.user));
  cache_->Insert(hash, std::move(cached), tags, generation, now);
}

// Best effort and not awaited: a failed usage stamp must not fail or delay
// the request.
void AccessService::StampLastUsed(const std::string& token_id, Timestamp now) {
  store_.WriteAsync(
      [token_id, now](Transaction& tx) {
        return tx.api_tokens().TouchLastUsed(token_id, now);
      },
      [](Status) {});
}

// A refused authentication is audited (naming the credential by `which`,
// never by its value); a store error is returned as it is.
Status AccessService::Refused(const Status& error, std::string_view remote,
                              std::string_view request_id,
                              std::string_view which) {
  if (error.code() != StatusCode::kUnauthenticated) return error;
  WARDEN_RETURN_IF_ERROR(auditor_.AuthenticationFailed(
      remote, fmt::format("{} ({})", error.message(), which), request_id));
  return error;
}

Result<Principal> AccessService::AuthenticateTokenId(
    std::string_view token_id, std::string_view remote,
    std::string_view request_id) {
  const Timestamp now = auditor_.clock().Now();
  Result<Resolved> resolved = Unauthenticated("API token is not recognised");
  const Status read = store_.Read([&](Transaction& tx) -> Status {
    Result<ApiToken> found = tx.api_tokens().Get(token_id);
    if (found.ok()) {
      resolved = CheckActive(tx, *found, now);
    } else if (found.status().code() != StatusCode::kNotFound) {
      resolved = found.status();
    }
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (!resolved.ok()) {
    return Refused(resolved.status(), remote, request_id,
                   "token id " + std::string(token_id.substr(
                                     0, kMaxPresentedTokenLength)));
  }
  return resolved->principal;
}

Result<User> AccessService::CreateUser(const Caller& caller, User user) {
  AuditedWrite write(store_, auditor_, caller, "user.create",
                     UserTarget(user.name), Permission::kUserWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckUser(tx, user));
    user.disabled = false;
    user.created_at = user.updated_at = write.now();
    const Status inserted = tx.users().Insert(user);
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists(
          fmt::format("user \"{}\" already exists", user.name));
    }
    WARDEN_RETURN_IF_ERROR(inserted);
    return write.Record(tx, {{"role", Name(user.role)}, {"team", user.team}});
  });
  if (!status.ok()) return status;
  return user;
}

Result<User> AccessService::GetUser(const Caller& caller,
                                    std::string_view name) {
  User found;
  const Status status =
      auditor_.AuditedRead(caller, Permission::kUserRead, "user.read",
                           UserTarget(name), [&](Transaction& tx) -> Status {
                             WARDEN_ASSIGN_OR_RETURN(found, LoadUser(tx, name));
                             return Status::Ok();
                           });
  if (!status.ok()) return status;
  return found;
}

Result<std::vector<User>> AccessService::ListUsers(const Caller& caller) {
  std::vector<User> found;
  const Status status =
      auditor_.AuditedRead(caller, Permission::kUserRead, "user.list", "user",
                           [&](Transaction& tx) -> Status {
                             WARDEN_ASSIGN_OR_RETURN(found, tx.users().List());
                             return Status::Ok();
                           });
  if (!status.ok()) return status;
  return found;
}

Result<User> AccessService::SetUserDisabled(const Caller& caller,
                                            std::string_view name,
                                            bool disabled) {
  AuditedWrite write(store_, auditor_, caller,
                     disabled ? "user.disable" : "user.enable",
                     UserTarget(name), Permission::kUserWrite);
  User user;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(user, LoadUser(tx, name));
    user.disabled = disabled;
    user.updated_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.users().Update(user));
    return write.Record(tx);
  });
  if (!status.ok()) return status;
  NotifyCredentialsChanged();
  return user;
}

Result<IssuedToken> AccessService::CreateToken(const Caller& caller,
                                               const TokenRequest& request) {
  IssuedToken issued;
  const Timestamp now = auditor_.clock().Now();
  AuditedWrite write(store_, auditor_, caller, "token.create", "token",
                     Permission::kApiTokenWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    ApiToken token;
    WARDEN_RETURN_IF_ERROR(BindToken(tx, request, token));
    WARDEN_RETURN_IF_ERROR(CheckSdkBinding(request, token.role));
    WARDEN_RETURN_IF_ERROR(CheckTtl(request.ttl));
    WARDEN_RETURN_IF_ERROR(
        CheckText("description", request.description, kMaxTextLength));
    token.environment = request.environment;
    token.tenant = request.tenant;
    token.description = request.description;
    token.created_by = caller.principal.subject;
    issued = Mint(std::move(token), now, request.ttl);
    WARDEN_RETURN_IF_ERROR(tx.api_tokens().Insert(issued.token));
    return write.Record(tx, Describe(issued.token));
  });
  if (!status.ok()) return status;
  return issued;
}

Result<std::vector<ApiToken>> AccessService::ListTokens(const Caller& caller) {
  std::vector<ApiToken> found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kApiTokenRead, "token.list", "token",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, tx.api_tokens().List());
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return found;
}

Result<ApiToken> AccessService::RevokeToken(const Caller& caller,
                                            std::string_view id) {
  AuditedWrite write(store_, auditor_, caller, "token.revoke", TokenTarget(id),
                     Permission::kApiTokenWrite);
  ApiToken token;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    Result<ApiToken> found = tx.api_tokens().Get(id);
    if (!found.ok() && found.status().code() == StatusCode::kNotFound) {
      return NotFound(fmt::format("API token \"{}\" does not exist", id));
    }
    WARDEN_RETURN_IF_ERROR(found.status());
    token = std::move(found).value();
    if (token.revoked_at.has_value()) {
      return FailedPrecondition(
          fmt::format("API token \"{}\" is already revoked", id),
          "token-revoked");
    }
    token.revoked_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.api_tokens().Update(token));
    return write.Record(tx, Describe(token));
  });
  if (!status.ok()) return status;
  NotifyCredentialsChanged();
  return token;
}

Result<std::optional<std::string>> AccessService::BootstrapAdminToken() {
  const Caller system = SystemCaller();
  const Timestamp now = auditor_.clock().Now();
  std::optional<std::string> secret;
  const Status status = store_.Write([&](Transaction& tx) -> Status {
    secret.reset();
    WARDEN_ASSIGN_OR_RETURN(const std::vector<ApiToken> tokens,
                            tx.api_tokens().List());
    if (!tokens.empty()) return Status::Ok();
    Result<User> user = tx.users().Get(kBootstrapSubject);
    if (!user.ok()) {
      if (user.status().code() != StatusCode::kNotFound) return user.status();
      User admin;
      admin.name = kBootstrapSubject;
      admin.role = Role::kAdmin;
      admin.created_at = admin.updated_at = now;
      WARDEN_RETURN_IF_ERROR(tx.users().Insert(admin));
    }
    ApiToken token;
    token.user = kBootstrapSubject;
    token.role = Role::kAdmin;
    token.description = "bootstrap admin token";
    token.created_by = kSystemSubject;
    IssuedToken issued = Mint(std::move(token), now, kMaxTokenTtl);
    WARDEN_RETURN_IF_ERROR(tx.api_tokens().Insert(issued.token));
    WARDEN_RETURN_IF_ERROR(auditor_.RecordInTransaction(
        tx, system, "token.bootstrap", TokenTarget(issued.token.id),
        Describe(issued.token)));
    secret = std::move(issued.secret);
    return Status::Ok();
  });
  if (!status.ok()) return status.WithContext("bootstrap admin token");
  return secret;
}

}  // namespace warden::inventory
