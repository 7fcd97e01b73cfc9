#include "tokens/replay_cache.h"

#include "tokens/token_error.h"

namespace warden::tokens {

ReplayCache::ReplayCache(size_t max_entries) : max_entries_(max_entries) {}

void ReplayCache::EvictExpiredLocked(Timestamp now) {
  auto it = by_expiry_.begin();
  while (it != by_expiry_.end() && it->first <= now) {
    entries_.erase(it->second);
    it = by_expiry_.erase(it);
  }
}

Status ReplayCache::CheckAndInsert(std::string_view client_id,
                                   std::string_view jti, Timestamp expires_at,
                                   Timestamp now) {
  if (jti.empty()) return InvalidArgument("assertion jti is empty");
  // Length-prefixed so ("ab", "c") and ("a", "bc") never collide.
  std::string key = std::to_string(client_id.size()) + ":" +
                    std::string(client_id) + std::string(jti);
  std::lock_guard<std::mutex> lock(mu_);
  EvictExpiredLocked(now);
  if (entries_.contains(key)) {
    return TokenFailure(TokenError::kReplayed,
                        "client assertion jti was already used");
  }
  if (entries_.size() >= max_entries_) {
    return Status(StatusCode::kResourceExhausted,
                  "too many client assertions in flight; retry shortly",
                  "replay-cache-full");
  }
  entries_.emplace(key, expires_at);
  by_expiry_.emplace(expires_at, std::move(key));
  return Status::Ok();
}

size_t ReplayCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace warden::tokens
