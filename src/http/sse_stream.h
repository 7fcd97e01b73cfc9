// SseStream: one Server-Sent Events connection of GET /v1/stream (WHATWG
// HTML, "Server-sent events"). Sends the environment's full configuration,
// then every change, each as one event whose id is the revision:
//
//   id: RUN-7            (RUN: StreamRegistry::run_id(), 7: the revision)
//   event: config | change
//   data: {"revision": 7, "change": {...} | null, "config": {wire json}}
//
// "config" is a full state (first event, or a resume that history cannot
// serve); "change" follows a previous revision. A client resuming with
// Last-Event-ID = RUN-r gets the changes after r from
// ConfigFeed::ChangesSince, or one "config" event when r is too old or from
// another server run. A comment line
// (": heartbeat") every kSseHeartbeatPeriod makes dead connections fail a
// write and lets clients notice a silent server.
//
// Back-pressure: at most kMaxQueuedSseEvents events wait per connection; a
// consumer that falls further behind is disconnected (it resumes with
// Last-Event-ID), so memory per connection stays bounded. A write that does
// not finish within kSseWriteTimeout also disconnects.
//
// Lifetime: shared_ptr, kept alive by pending I/O. Feed notifications hold a
// weak_ptr and hop onto the connection's strand. Thread-safety: Close() may
// be called from any thread; everything else runs on the strand.
#ifndef WARDEN_HTTP_SSE_STREAM_H_
#define WARDEN_HTTP_SSE_STREAM_H_

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/response_stream.h"
#include "service/config_feed.h"

namespace warden {

class StreamRegistry;

inline constexpr std::chrono::seconds kSseHeartbeatPeriod{15};
inline constexpr std::chrono::seconds kSseWriteTimeout{30};
inline constexpr size_t kMaxQueuedSseEvents = 64;

// The SSE frame of one published configuration.
std::string SseEvent(const PublishedConfig& config, bool full_state,
                     std::string_view run_id);
// "RUN-REVISION" of this run -> the revision; nullopt for anything else.
std::optional<int64_t> ParseEventId(std::string_view id,
                                    std::string_view run_id);

class SseStream : public ResponseStream,
                  public std::enable_shared_from_this<SseStream> {
 public:
  // `resume_after`: the client's Last-Event-ID, if any. The feed and the
  // registry must outlive the stream.
  SseStream(ConfigFeed& feed, Environment env,
            std::optional<int64_t> resume_after, StreamRegistry& registry);
  ~SseStream() override;

  void Start(boost::beast::tcp_stream stream, std::string header) override;
  void Close();

 private:
  void SendInitialState();
  void OnPublished(std::shared_ptr<const PublishedConfig> config);
  void Enqueue(std::shared_ptr<const std::string> frame);
  void DoWrite();
  void OnWrite(boost::beast::error_code ec, size_t bytes);
  void ScheduleHeartbeat();
  void WatchForClose();
  void Shutdown();

  ConfigFeed& feed_;
  const Environment env_;
  const std::optional<int64_t> resume_after_;
  StreamRegistry& registry_;
  std::optional<ConfigFeed::SubscriptionId> subscription_;
  std::optional<boost::beast::tcp_stream> stream_;
  std::optional<boost::asio::steady_timer> heartbeat_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool writing_ = false;
  bool closed_ = false;
  int64_t last_sent_revision_ = -1;
  std::array<char, 512> read_buffer_{};
};

}  // namespace warden

#endif  // WARDEN_HTTP_SSE_STREAM_H_
