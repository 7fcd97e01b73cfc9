// StreamRegistry: the open SSE connections of a server, for the connection
// caps and for closing them all at shutdown (they never finish on their own).
//
// Caps: at most `max_streams` streams per server, and at most
// `max_per_token` per API token, so that one token (a leaked one, or a
// client that reconnects without closing) cannot take every slot. A stream
// holds its slot through a Reservation from Reserve() until it ends.
//
// Thread-safety: every method may be called from any thread. Must outlive
// every registered stream and every Reservation.
#ifndef WARDEN_HTTP_STREAM_REGISTRY_H_
#define WARDEN_HTTP_STREAM_REGISTRY_H_

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/mutex.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "http/response_stream.h"

namespace warden {

// Each subscriber holds a socket, a feed subscription and a bounded queue;
// 10,000 bounds that memory and the fan-out work of one publish.
inline constexpr size_t kMaxStreamConnections = 10'000;
// One sdk token is usually shared by every replica of a service, so it
// needs many streams, but never the whole server: a tenth of the cap.
inline constexpr size_t kMaxStreamsPerToken = 1'000;
// The Retry-After of a 503 for a full server or token: streams end when
// subscribers go away, and SDKs reconnect with back-off anyway.
inline constexpr std::chrono::seconds kStreamsFullRetryAfter{10};

struct StreamLimits {
  size_t max_streams = kMaxStreamConnections;
  size_t max_per_token = kMaxStreamsPerToken;
};

class StreamRegistry {
 public:
  // One stream's slot: counted against the server's and its token's caps
  // until destroyed. Move-only.
  class Reservation {
   public:
    Reservation(Reservation&& other) noexcept;
    Reservation& operator=(Reservation&& other) noexcept;
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    ~Reservation();

    StreamRegistry& registry() const { return *registry_; }

   private:
    friend class StreamRegistry;
    Reservation(StreamRegistry* registry, std::string token)
        : registry_(registry), token_(std::move(token)) {}
    void Release();

    StreamRegistry* registry_;  // null once moved from
    std::string token_;
  };

  explicit StreamRegistry(StreamLimits limits = {});

  // Identifies this server run in event ids ("RUN-REVISION"): revisions
  // restart with each run, so a Last-Event-ID from another run must not be
  // taken for a position in this one's history.
  const std::string& run_id() const { return run_id_; }

  // A slot for one more stream of `token` (an API token id). kUnavailable
  // (problem "too-many-streams", retry hint kStreamsFullRetryAfter) when
  // the server or the token is at its cap, or the registry is closing.
  Result<Reservation> Reserve(std::string_view token);
  void Add(const ResponseStream* key, std::weak_ptr<ResponseStream> stream);
  // Forgets the stream (its Reservation frees the slot).
  void Remove(const ResponseStream* key);
  // Closes every open stream (shutdown); new ones are refused afterwards.
  void CloseAll();
  // Closes every open stream but keeps accepting new ones: credentials
  // changed (a token revoked, a user disabled), so every subscriber must
  // authenticate again; SDKs reconnect and resume with Last-Event-ID.
  void CloseOpen();
  // Reserved slots (open streams and streams about to open).
  size_t size() const;

 private:
  void Release(const std::string& token);

  // Immutable after construction.
  const StreamLimits limits_;
  const std::string run_id_;

  mutable Mutex mu_;
  size_t reserved_ WARDEN_GUARDED_BY(mu_) = 0;
  bool closing_ WARDEN_GUARDED_BY(mu_) = false;
  std::unordered_map<std::string, size_t> per_token_ WARDEN_GUARDED_BY(mu_);
  std::map<const ResponseStream*, std::weak_ptr<ResponseStream>> streams_
      WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden

#endif  // WARDEN_HTTP_STREAM_REGISTRY_H_
