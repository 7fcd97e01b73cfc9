// SseStream: one Server-Sent Events connection of GET /v1/stream (WHATWG
// HTML, "Server-sent events"). Sends the environment's full configuration,
// then every change as a patch, each as one event whose id is the revision:
//
//   id: RUN-7            (RUN: StreamRegistry::run_id(), 7: the revision)
//   event: config
//   data: {"revision": 7, "change": null, "config": {wire json}}
//
//   id: RUN-8
//   event: change
//   data: {"revision": 8, "base": 7, "change": {...} | null,
//          "patch": {"limits": [...]}}
//
// "config" is a full state (PublishedConfig::wire_json: "environment",
// "revision", "flags", "$evaluators", "metadata", "tenants", "segments",
// "limits"): the first event, a resume that history cannot serve, or a
// revision that has no patch. "change" carries in "patch" only the
// top-level wire sections whose content changed since "base" (a limit set
// or lift: "limits"; a flag change: "flags", and "$evaluators",
// "metadata", "limits" when they changed; a tenant change: "tenants", and
// "segments" if it changed), each replacing that section whole; "patch" may
// be {} when nothing on the wire changed. A client applies a change only
// when its revision equals "base", and then sets its revision (and the
// config's "revision") to "revision"; otherwise it must resync by
// reconnecting without Last-Event-ID, which starts with a "config" event.
// A client resuming with Last-Event-ID = RUN-r gets the patches after r
// from ConfigFeed::ChangesSince, or one "config" event when r is too old,
// from another server run, or history holds no patch for it. A comment line
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
#ifndef WARDEN_API_SSE_STREAM_H_
#define WARDEN_API_SSE_STREAM_H_

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
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "exposure/config_feed.h"
#include "http/response_stream.h"
#include "http/stream_registry.h"

namespace warden::api {

inline constexpr std::chrono::seconds kSseHeartbeatPeriod{15};
inline constexpr std::chrono::seconds kSseWriteTimeout{30};
inline constexpr size_t kMaxQueuedSseEvents = 64;

// The SSE frame of one published configuration: its "change" event with
// the patch, or (`full_state`, or no patch) its full "config" event.
std::string SseEvent(const exposure::PublishedConfig& config, bool full_state,
                     std::string_view run_id);
// The "change" event of one revision from history.
std::string SseEvent(const exposure::PublishedChange& change,
                     std::string_view run_id);
// "RUN-REVISION" of this run -> the revision; nullopt for anything else.
std::optional<int64_t> ParseEventId(std::string_view id,
                                    std::string_view run_id);

// What an SseStream sends: the frames that open the connection and the
// frame of each published revision. GET /v1/stream ships configurations
// (ConfigStreamFormat, the default); the OFREP event stream ships
// refetchEvaluation notices (ofrep_event_format.h). Both share the
// connection, queue, heartbeat and registry machinery below.
//
// Thread-safety: implementations are shared between streams and their
// methods may be called from any thread; what they cache (full frames)
// sits behind their own mutex.
class SseFormat {
 public:
  virtual ~SseFormat() = default;
  // Frames to send right after the header. `resume_after`: the client's
  // Last-Event-ID position, nullopt without one. Sets *last_sent to the
  // revision the client holds once these frames are delivered.
  virtual std::vector<std::string> Opening(const exposure::ConfigFeed& feed,
                                           Environment env,
                                           std::optional<int64_t> resume_after,
                                           std::string_view run_id,
                                           int64_t* last_sent) const = 0;
  // The frame announcing `config`. `gap`: revisions between the last sent
  // one and this were never delivered.
  virtual std::string Frame(const exposure::PublishedConfig& config, bool gap,
                            std::string_view run_id) const = 0;

  // Opening() and Frame() as shared frames, which is what SseStream sends.
  // A format whose frames are large and the same for every connection
  // overrides these to hand every stream one copy.
  virtual std::vector<std::shared_ptr<const std::string>> SharedOpening(
      const exposure::ConfigFeed& feed, Environment env,
      std::optional<int64_t> resume_after, std::string_view run_id,
      int64_t* last_sent) const;
  virtual std::shared_ptr<const std::string> SharedFrame(
      const exposure::PublishedConfig& config, bool gap,
      std::string_view run_id) const;
};

// The configuration stream's format: full state first (or the patches
// since Last-Event-ID), then one "change" event (patch) per revision.
//
// A full "config" frame weighs as much as the configuration (megabytes with
// 100,000 tenants): the format keeps the last one built per environment and
// hands it to every stream that needs it, so 1,000 subscribers connecting
// share one copy; the same for the "change" frame of each revision. Share
// one instance between streams (stream_routes.cc).
class ConfigStreamFormat final : public SseFormat {
 public:
  std::vector<std::string> Opening(const exposure::ConfigFeed& feed,
                                   Environment env,
                                   std::optional<int64_t> resume_after,
                                   std::string_view run_id,
                                   int64_t* last_sent) const override;
  std::string Frame(const exposure::PublishedConfig& config, bool gap,
                    std::string_view run_id) const override;
  std::vector<std::shared_ptr<const std::string>> SharedOpening(
      const exposure::ConfigFeed& feed, Environment env,
      std::optional<int64_t> resume_after, std::string_view run_id,
      int64_t* last_sent) const override;
  std::shared_ptr<const std::string> SharedFrame(
      const exposure::PublishedConfig& config, bool gap,
      std::string_view run_id) const override;

 private:
  // The full "config" frame of `config`, built once per revision.
  std::shared_ptr<const std::string> FullFrame(
      const exposure::PublishedConfig& config, std::string_view run_id) const;

  struct CachedFrame {
    int64_t revision = -1;
    std::string run_id;
    std::shared_ptr<const std::string> frame;
  };
  mutable Mutex mu_;
  // Indexed by Environment.
  mutable std::array<CachedFrame, 3> full_frames_ WARDEN_GUARDED_BY(mu_);
  // The last "change" frame per environment, shared the same way.
  mutable std::array<CachedFrame, 3> patch_frames_ WARDEN_GUARDED_BY(mu_);
};

class SseStream : public ResponseStream,
                  public std::enable_shared_from_this<SseStream> {
 public:
  // `resume_after`: the client's Last-Event-ID, if any. `reservation`: the
  // stream's slot (StreamRegistry::Reserve), held until the stream ends.
  // The feed and the registry must outlive the stream.
  // `format` null: ConfigStreamFormat.
  SseStream(exposure::ConfigFeed& feed, Environment env,
            std::optional<int64_t> resume_after,
            StreamRegistry::Reservation reservation,
            std::shared_ptr<const SseFormat> format = nullptr);
  ~SseStream() override;

  void Start(boost::beast::tcp_stream stream, std::string header,
             ConnectionLimit::Slot slot) override;
  void Close() override;

 private:
  void SendInitialState();
  void OnPublished(std::shared_ptr<const exposure::PublishedConfig> config);
  void Enqueue(std::shared_ptr<const std::string> frame);
  void DoWrite();
  void OnWrite(boost::beast::error_code ec, size_t bytes);
  void ScheduleHeartbeat();
  void WatchForClose();
  void Shutdown();

  exposure::ConfigFeed& feed_;
  const Environment env_;
  const std::optional<int64_t> resume_after_;
  StreamRegistry& registry_;
  StreamRegistry::Reservation reservation_;
  ConnectionLimit::Slot connection_slot_;  // set by Start()
  const std::shared_ptr<const SseFormat> format_;
  std::optional<exposure::ConfigFeed::SubscriptionId> subscription_;
  std::optional<boost::beast::tcp_stream> stream_;
  std::optional<boost::asio::steady_timer> heartbeat_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool writing_ = false;
  bool closed_ = false;
  int64_t last_sent_revision_ = -1;
  std::array<char, 512> read_buffer_{};
};

}  // namespace warden::api

#endif  // WARDEN_API_SSE_STREAM_H_
