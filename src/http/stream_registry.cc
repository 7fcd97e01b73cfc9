#include "http/stream_registry.h"

#include <cstdio>
#include <random>
#include <vector>

#include "http/sse_stream.h"

namespace warden {
namespace {

std::string NewRunId() {
  std::random_device random;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", random(), random());
  return text;
}

}  // namespace

StreamRegistry::StreamRegistry(size_t max_connections)
    : max_connections_(max_connections), run_id_(NewRunId()) {}

bool StreamRegistry::TryReserve() {
  std::lock_guard lock(mu_);
  if (closing_ || reserved_ >= max_connections_) return false;
  ++reserved_;
  return true;
}

void StreamRegistry::Release() {
  std::lock_guard lock(mu_);
  if (reserved_ > 0) --reserved_;
}

void StreamRegistry::Add(const SseStream* key,
                         std::weak_ptr<SseStream> stream) {
  std::lock_guard lock(mu_);
  streams_[key] = std::move(stream);
}

void StreamRegistry::Remove(const SseStream* key) {
  std::lock_guard lock(mu_);
  streams_.erase(key);
  if (reserved_ > 0) --reserved_;
}

// Close() is called without the mutex: it may call back into Remove().
void StreamRegistry::CloseAll() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  CloseOpen();
}

void StreamRegistry::CloseOpen() {
  std::vector<std::shared_ptr<SseStream>> open;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, weak] : streams_) {
      if (auto stream = weak.lock()) open.push_back(std::move(stream));
    }
  }
  for (auto& stream : open) stream->Close();  // outside mu_: Close may Remove
}

size_t StreamRegistry::size() const {
  std::lock_guard lock(mu_);
  return reserved_;
}

}  // namespace warden
