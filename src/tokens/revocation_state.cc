#include "tokens/revocation_state.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tokens/jose_json.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

boost::json::object ToJson(
    const std::unordered_map<std::string, Timestamp>& m) {
  boost::json::object o;
  for (const auto& [key, t] : m) o[key] = ToMicros(t);
  return o;
}

Status FromJson(const boost::json::object& document, std::string_view member,
                std::unordered_map<std::string, Timestamp>* out) {
  const boost::json::value* value = document.if_contains(member);
  if (value == nullptr) return Status::Ok();
  if (!value->is_object()) {
    return InvalidArgument("revocation state: \"" + std::string(member) +
                           "\" must be an object");
  }
  for (const auto& [key, t] : value->get_object()) {
    // Bounded to years 1970..9999 so epoch arithmetic cannot overflow.
    constexpr int64_t kMaxMicros = int64_t{253'402'300'799} * 1'000'000;
    if (!t.is_int64() || key.empty() || t.get_int64() < 0 ||
        t.get_int64() > kMaxMicros) {
      return InvalidArgument("revocation state: bad entry in \"" +
                             std::string(member) + "\"");
    }
    (*out)[std::string(key)] = FromMicros(t.get_int64());
  }
  return Status::Ok();
}

}  // namespace

RevocationState::RevocationState(size_t max_denied_tokens)
    : max_denied_tokens_(max_denied_tokens) {}

void RevocationState::RaiseEpoch(TimeMap& map, std::string_view key,
                                 Timestamp t) {
  auto [it, inserted] = map.try_emplace(std::string(key), t);
  if (!inserted && it->second < t) it->second = t;
}

void RevocationState::RevokeSubject(std::string_view subject,
                                    Timestamp not_before) {
  WriterMutexLock lock(mu_);
  RaiseEpoch(subject_epochs_, subject, not_before);
}

void RevocationState::RevokeTenant(std::string_view tenant,
                                   Timestamp not_before) {
  WriterMutexLock lock(mu_);
  RaiseEpoch(tenant_epochs_, tenant, not_before);
}

void RevocationState::MergeFrom(const RevocationState& other) {
  if (&other == this) return;
  ReaderMutexLock theirs(other.mu_);
  WriterMutexLock ours(mu_);
  for (const auto& [subject, t] : other.subject_epochs_) {
    RaiseEpoch(subject_epochs_, subject, t);
  }
  for (const auto& [tenant, t] : other.tenant_epochs_) {
    RaiseEpoch(tenant_epochs_, tenant, t);
  }
  for (const auto& [jti, t] : other.denied_) RaiseEpoch(denied_, jti, t);
}

Status RevocationState::RevokeToken(std::string_view jti,
                                    Timestamp expires_at) {
  if (jti.empty()) return InvalidArgument("token jti is empty");
  WriterMutexLock lock(mu_);
  if (denied_.size() >= max_denied_tokens_ &&
      !denied_.contains(std::string(jti))) {
    return Status(StatusCode::kResourceExhausted,
                  "token deny-list is full; revoke the identity instead",
                  "revocation-list-full");
  }
  RaiseEpoch(denied_, jti, expires_at);
  return Status::Ok();
}

Status RevocationState::CheckActive(const AccessTokenClaims& claims,
                                    Timestamp now) const {
  if (now >= claims.expires_at) {
    return TokenFailure(TokenError::kExpired, "token has expired");
  }
  ReaderMutexLock lock(mu_);
  // Heterogeneous lookup is not available for unordered_map in C++20's
  // libstdc++ 12, so the keys are the claim strings themselves.
  auto epoch = subject_epochs_.find(claims.subject);
  if (epoch != subject_epochs_.end() && claims.issued_at < epoch->second) {
    return TokenFailure(TokenError::kInactive,
                        "token was issued before its identity was revoked");
  }
  if (claims.tenant) {
    epoch = tenant_epochs_.find(*claims.tenant);
    if (epoch != tenant_epochs_.end() && claims.issued_at < epoch->second) {
      return TokenFailure(TokenError::kInactive,
                          "token was issued before its tenant was limited");
    }
  }
  if (denied_.contains(claims.jwt_id)) {
    return TokenFailure(TokenError::kInactive, "token was revoked");
  }
  return Status::Ok();
}

size_t RevocationState::Prune(Timestamp now,
                              std::chrono::seconds max_token_lifetime) {
  WriterMutexLock lock(mu_);
  const size_t removed =
      std::erase_if(denied_, [&](const auto& e) { return e.second <= now; }) +
      std::erase_if(
          subject_epochs_,
          [&](const auto& e) { return e.second + max_token_lifetime <= now; }) +
      std::erase_if(tenant_epochs_, [&](const auto& e) {
        return e.second + max_token_lifetime <= now;
      });
  return removed;
}

std::string RevocationState::Serialize() const {
  ReaderMutexLock lock(mu_);
  boost::json::object document;
  document["v"] = 1;
  document["subjects"] = ToJson(subject_epochs_);
  document["tenants"] = ToJson(tenant_epochs_);
  document["denied"] = ToJson(denied_);
  return boost::json::serialize(document);
}

Result<std::unique_ptr<RevocationState>> RevocationState::Parse(
    std::string_view text, size_t max_denied_tokens) {
  if (text.size() > kMaxSerializedBytes) {
    return InvalidArgument("revocation state document is too large");
  }
  constexpr int kDepth = 3;  // {"denied":{jti:number}}
  auto document = jose::ParseObject(text, kDepth, {}, "revocation state");
  if (!document.ok()) return InvalidArgument(document.status().message());
  const boost::json::value* version = document->if_contains("v");
  if (version == nullptr || !version->is_int64() || version->get_int64() != 1) {
    return InvalidArgument("revocation state: unsupported version");
  }
  auto state = std::make_unique<RevocationState>(max_denied_tokens);
  // Nobody else sees `state` yet; the lock costs nothing and lets the
  // analysis check these writes like every other.
  WriterMutexLock lock(state->mu_);
  WARDEN_RETURN_IF_ERROR(
      FromJson(*document, "subjects", &state->subject_epochs_));
  WARDEN_RETURN_IF_ERROR(
      FromJson(*document, "tenants", &state->tenant_epochs_));
  WARDEN_RETURN_IF_ERROR(FromJson(*document, "denied", &state->denied_));
  return state;
}

size_t RevocationState::denied_tokens() const {
  ReaderMutexLock lock(mu_);
  return denied_.size();
}

}  // namespace warden::tokens
