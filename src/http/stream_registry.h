// StreamRegistry: the open SSE connections of a server, for the connection
// cap and for closing them all at shutdown (they never finish on their own).
//
// Thread-safety: every method may be called from any thread. Must outlive
// every registered stream.
#ifndef WARDEN_HTTP_STREAM_REGISTRY_H_
#define WARDEN_HTTP_STREAM_REGISTRY_H_

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace warden {

class SseStream;

// Each subscriber holds a socket, a feed subscription and a bounded queue;
// 10,000 bounds that memory and the fan-out work of one publish.
inline constexpr size_t kMaxStreamConnections = 10'000;

class StreamRegistry {
 public:
  explicit StreamRegistry(size_t max_connections = kMaxStreamConnections);

  // Identifies this server run in event ids ("RUN-REVISION"): revisions
  // restart with each run, so a Last-Event-ID from another run must not be
  // taken for a position in this one's history.
  const std::string& run_id() const { return run_id_; }

  // False when the cap is reached (the caller answers 503).
  bool TryReserve();
  // Returns a reservation that did not become a stream.
  void Release();
  void Add(const SseStream* key, std::weak_ptr<SseStream> stream);
  // Removes and releases the stream's reservation.
  void Remove(const SseStream* key);
  // Closes every open stream (shutdown); new ones are refused afterwards.
  void CloseAll();
  // Closes every open stream but keeps accepting new ones: credentials
  // changed (a token revoked, a user disabled), so every subscriber must
  // authenticate again; SDKs reconnect and resume with Last-Event-ID.
  void CloseOpen();
  size_t size() const;

 private:
  const size_t max_connections_;
  const std::string run_id_;
  mutable std::mutex mu_;
  size_t reserved_ = 0;   // guarded by mu_
  bool closing_ = false;  // guarded by mu_
  std::map<const SseStream*, std::weak_ptr<SseStream>> streams_;  // mu_
};

}  // namespace warden

#endif  // WARDEN_HTTP_STREAM_REGISTRY_H_
