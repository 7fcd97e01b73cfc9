#include "http/stream_registry.h"

#include <cstdio>
#include <random>
#include <vector>

namespace warden {
namespace {

std::string NewRunId() {
  std::random_device random;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", random(), random());
  return text;
}

}  // namespace

StreamRegistry::Reservation::Reservation(Reservation&& other) noexcept
    : registry_(other.registry_), token_(std::move(other.token_)) {
  other.registry_ = nullptr;
}

StreamRegistry::Reservation& StreamRegistry::Reservation::operator=(
    Reservation&& other) noexcept {
  if (this != &other) {
    Release();
    registry_ = other.registry_;
    token_ = std::move(other.token_);
    other.registry_ = nullptr;
  }
  return *this;
}

StreamRegistry::Reservation::~Reservation() { Release(); }

void StreamRegistry::Reservation::Release() {
  if (registry_ != nullptr) registry_->Release(token_);
  registry_ = nullptr;
}

StreamRegistry::StreamRegistry(StreamLimits limits)
    : limits_(limits), run_id_(NewRunId()) {}

Result<StreamRegistry::Reservation> StreamRegistry::Reserve(
    std::string_view token) {
  MutexLock lock(mu_);
  std::string_view full;
  size_t& held = per_token_[std::string(token)];
  if (closing_) {
    full = "the server is stopping";
  } else if (reserved_ >= limits_.max_streams) {
    full = "too many open streams on this server";
  } else if (held >= limits_.max_per_token) {
    full = "too many open streams for this API token";
  }
  if (!full.empty()) {
    if (held == 0) per_token_.erase(std::string(token));
    return Status(StatusCode::kUnavailable, std::string(full) + "; retry later",
                  "too-many-streams")
        .WithRetryAfter(kStreamsFullRetryAfter);
  }
  ++held;
  ++reserved_;
  return Reservation(this, std::string(token));
}

void StreamRegistry::Release(const std::string& token) {
  MutexLock lock(mu_);
  if (reserved_ > 0) --reserved_;
  auto it = per_token_.find(token);
  if (it != per_token_.end() && --it->second == 0) per_token_.erase(it);
}

void StreamRegistry::Add(const ResponseStream* key,
                         std::weak_ptr<ResponseStream> stream) {
  MutexLock lock(mu_);
  streams_[key] = std::move(stream);
}

void StreamRegistry::Remove(const ResponseStream* key) {
  MutexLock lock(mu_);
  streams_.erase(key);
}

// Close() is called without the mutex: it may call back into Remove().
void StreamRegistry::CloseAll() {
  {
    MutexLock lock(mu_);
    closing_ = true;
  }
  CloseOpen();
}

void StreamRegistry::CloseOpen() {
  std::vector<std::shared_ptr<ResponseStream>> open;
  {
    MutexLock lock(mu_);
    for (auto& [key, weak] : streams_) {
      if (auto stream = weak.lock()) open.push_back(std::move(stream));
    }
  }
  for (auto& stream : open) stream->Close();  // outside mu_: Close may Remove
}

size_t StreamRegistry::size() const {
  MutexLock lock(mu_);
  return reserved_;
}

}  // namespace warden
