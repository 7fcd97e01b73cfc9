#include "tokens/replay_cache.h"

#include <algorithm>

#include "tokens/token_error.h"

namespace warden::tokens {

namespace {

// Keys are "LEN:CLIENTJTI": length-prefixed so ("ab", "c") and ("a", "bc")
// never collide, and the client can be read back.
std::string KeyOf(std::string_view client_id, std::string_view jti) {
  return std::to_string(client_id.size()) + ":" + std::string(client_id) +
         std::string(jti);
}

std::string ClientOf(const std::string& key) {
  const size_t colon = key.find(':');
  return key.substr(colon + 1, std::stoul(key.substr(0, colon)));
}

}  // namespace

ReplayCache::ReplayCache(size_t max_entries, size_t max_per_client)
    : max_entries_(max_entries), max_per_client_(max_per_client) {}

void ReplayCache::EvictExpiredLocked(Timestamp now) {
  auto it = by_expiry_.begin();
  while (it != by_expiry_.end() && it->first <= now) {
    auto client = per_client_.find(ClientOf(it->second));
    if (client != per_client_.end() && --client->second == 0) {
      per_client_.erase(client);
    }
    entries_.erase(it->second);
    it = by_expiry_.erase(it);
  }
}

Status ReplayCache::CheckAndInsert(std::string_view client_id,
                                   std::string_view jti, Timestamp expires_at,
                                   Timestamp now) {
  if (jti.empty()) return InvalidArgument("assertion jti is empty");
  std::string key = KeyOf(client_id, jti);
  MutexLock lock(mu_);
  EvictExpiredLocked(now);
  if (entries_.contains(key)) {
    return TokenFailure(TokenError::kReplayed,
                        "client assertion jti was already used");
  }
  if (entries_.size() >= max_entries_) {
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(
        by_expiry_.begin()->first - now);
    return Status(StatusCode::kResourceExhausted,
                  "too many client assertions in flight; retry shortly",
                  "replay-cache-full")
        .WithRetryAfter(std::max(wait, std::chrono::seconds(1)));
  }
  size_t& held = per_client_[std::string(client_id)];
  if (held >= max_per_client_) {
    return Status(StatusCode::kResourceExhausted,
                  "this client has " + std::to_string(held) +
                      " unexpired client assertions (its quota); retry "
                      "later, or use shorter-lived assertions",
                  "replay-quota")
        .WithRetryAfter(kQuotaRetryAfter);
  }
  ++held;
  entries_.emplace(key, expires_at);
  by_expiry_.emplace(expires_at, std::move(key));
  return Status::Ok();
}

size_t ReplayCache::size() const {
  MutexLock lock(mu_);
  return entries_.size();
}

}  // namespace warden::tokens
