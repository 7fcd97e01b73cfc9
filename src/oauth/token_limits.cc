#include "oauth/token_limits.h"

#include <fmt/format.h>

#include <algorithm>

#include "exposure/limit_ties.h"

namespace warden::oauth {
namespace {

bool Has(const std::vector<std::string>& sorted, std::string_view value) {
  return std::binary_search(sorted.begin(), sorted.end(), value, std::less<>());
}

bool AppliesTo(const std::optional<Environment>& limit_env,
               Environment identity_env) {
  return !limit_env || *limit_env == identity_env;
}

}  // namespace

Result<TokenLimits::Index> TokenLimits::ReadIndex(Store& store) {
  Index index;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    index.clear();
    WARDEN_ASSIGN_OR_RETURN(std::vector<ExposureLimitRecord> limits,
                            tx.exposure_limits().List(/*active_only=*/true));
    for (const ExposureLimitRecord& limit : limits) {
      WARDEN_ASSIGN_OR_RETURN(exposure::LimitTies ties,
                              exposure::ResolveLimitTies(tx, limit));
      index[limit.id] = Held{limit.scope, limit.environment, std::move(ties)};
    }
    return Status::Ok();
  }));
  return index;
}

Result<std::unique_ptr<TokenLimits>> TokenLimits::Load(
    Store& store, TokenRevocation& revocation) {
  std::unique_ptr<TokenLimits> limits(new TokenLimits(store, revocation));
  WARDEN_RETURN_IF_ERROR(limits->Reload());
  return limits;
}

Status TokenLimits::Reload() {
  uint64_t began;
  {
    ReaderMutexLock lock(mu_);
    began = sequence_;
  }
  WARDEN_ASSIGN_OR_RETURN(Index index, ReadIndex(store_));
  WriterMutexLock lock(mu_);
  for (auto& [id, held] : held_) {
    if (!held.local) continue;
    auto read = index.find(id);
    if (read == index.end()) {
      index.emplace(id, std::move(held));  // its unit may not have committed
    } else {
      read->second.local = true;
    }
  }
  for (const auto& [id, released_at] : released_) {
    if (released_at > began) index.erase(id);  // lifted during the read
  }
  std::erase_if(released_,
                [began](const auto& entry) { return entry.second <= began; });
  held_ = std::move(index);
  return Status::Ok();
}

Result<exposure::TokensRevoked> TokenLimits::RevokeTied(
    Transaction& tx, const Caller& caller, const ExposureLimitRecord& limit,
    const exposure::LimitTies& ties) {
  {
    // Before the revocation: a token granted from here on is refused, and
    // one granted just before is revoked by the epochs below.
    WriterMutexLock lock(mu_);
    held_[limit.id] = Held{limit.scope, limit.environment, ties, true};
  }
  WARDEN_RETURN_IF_ERROR(revocation_.RevokeForLimit(
      tx, caller, limit.id, ties.tenants, ties.identity_ids));
  return exposure::TokensRevoked{static_cast<int64_t>(ties.identity_ids.size()),
                                 static_cast<int64_t>(ties.tenants.size())};
}

void TokenLimits::Released(std::string_view limit_id) {
  WriterMutexLock lock(mu_);
  auto held = held_.find(limit_id);
  if (held != held_.end()) held_.erase(held);
  released_[std::string(limit_id)] = ++sequence_;
}

Status TokenLimits::CheckIdentity(const Identity& identity) const {
  ReaderMutexLock lock(mu_);
  for (const auto& [id, held] : held_) {
    if (!Has(held.ties.identity_ids, identity.id)) continue;
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("identity {} is tied to active exposure limit "
                              "{} (scope {}): no token is issued until it is "
                              "lifted",
                              identity.id, id, held.scope),
                  "unauthorized_client");
  }
  return Status::Ok();
}

Status TokenLimits::CheckTenant(const Identity& identity,
                                std::string_view tenant) const {
  ReaderMutexLock lock(mu_);
  for (const auto& [id, held] : held_) {
    if (!AppliesTo(held.environment, identity.environment)) continue;
    if (!Has(held.ties.tenants, tenant)) continue;
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("tenant {} is under active exposure limit {} "
                              "(scope {}): no token bound to it is issued "
                              "until it is lifted",
                              tenant, id, held.scope),
                  "invalid_target");
  }
  return Status::Ok();
}

}  // namespace warden::oauth
