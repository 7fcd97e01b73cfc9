// Server-Sent Events (WHATWG HTML, section 9.2) for GET /v1/stream.
#include "api/sse_stream.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <charconv>

#include "http/stream_registry.h"

namespace warden::api {

namespace beast = boost::beast;
namespace net = boost::asio;

namespace {

const auto kHeartbeatFrame =
    std::make_shared<const std::string>(": heartbeat\n\n");

// Each line of `text` becomes one "data:" line (the wire JSON has none, but
// a newline inside data would otherwise end the event early).
void AppendData(std::string& frame, std::string_view text) {
  size_t start = 0;
  while (true) {
    const size_t end = text.find('\n', start);
    frame += "data: ";
    frame += text.substr(start, end - start);
    frame += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

// `text` inside a "data:" line: each newline in it starts another one.
void AppendDataText(std::string& frame, std::string_view text) {
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string_view::npos;
       start = end + 1) {
    frame += text.substr(start, end - start);
    frame += "\ndata: ";
  }
  frame += text.substr(start);
}

// Patches are the cheaper resume unless they would fill the connection's
// queue (it would be closed at once) or outweigh the full state.
bool ResumeWithPatches(
    const std::vector<std::shared_ptr<const exposure::PublishedChange>>&
        changes,
    const exposure::PublishedConfig& current) {
  if (changes.size() >= kMaxQueuedSseEvents / 2) return false;
  size_t bytes = 0;
  for (const auto& change : changes) bytes += change->patch_json.size();
  return bytes <= current.wire_json.size();
}

}  // namespace

std::optional<int64_t> ParseEventId(std::string_view id,
                                    std::string_view run_id) {
  if (!id.starts_with(run_id) || id.size() <= run_id.size() + 1 ||
      id[run_id.size()] != '-') {
    return std::nullopt;
  }
  id.remove_prefix(run_id.size() + 1);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (ec != std::errc() || ptr != id.data() + id.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

std::string SseEvent(const exposure::PublishedConfig& config, bool full_state,
                     std::string_view run_id) {
  if (!full_state && !config.patch_json.empty()) {
    return SseEvent(
        exposure::PublishedChange{config.revision, config.change_json,
                                  config.patch_json},
        run_id);
  }
  const std::string revision = std::to_string(config.revision);
  std::string frame =
      "id: " + std::string(run_id) + "-" + revision + "\nevent: config\n";
  frame.reserve(frame.size() + config.wire_json.size() + 64);
  // As AppendData of the whole event text, without first joining the
  // (megabyte) wire pieces into one temporary.
  frame += "data: {\"revision\":" + revision + ",\"change\":null,\"config\":";
  for (const exposure::WireText::Piece& piece : config.wire_json.pieces()) {
    AppendDataText(frame, *piece);
  }
  frame += "}\n\n";
  return frame;
}

std::string SseEvent(const exposure::PublishedChange& change,
                     std::string_view run_id) {
  const std::string revision = std::to_string(change.revision);
  std::string frame =
      "id: " + std::string(run_id) + "-" + revision + "\nevent: change\n";
  AppendData(frame, "{\"revision\":" + revision + ",\"base\":" +
                        std::to_string(change.revision - 1) + ",\"change\":" +
                        (change.change_json.empty() ? std::string("null")
                                                    : change.change_json) +
                        ",\"patch\":" + change.patch_json + "}");
  frame += '\n';
  return frame;
}

std::vector<std::string> ConfigStreamFormat::Opening(
    const exposure::ConfigFeed& feed, Environment env,
    std::optional<int64_t> resume_after, std::string_view run_id,
    int64_t* last_sent) const {
  std::vector<std::string> frames;
  std::shared_ptr<const exposure::PublishedConfig> current = feed.Current(env);
  if (resume_after) {
    auto changes = feed.ChangesSince(env, *resume_after);
    if (changes && ResumeWithPatches(*changes, *current)) {
      // History is contiguous: each change follows the previous one.
      *last_sent = *resume_after;
      for (const auto& change : *changes) {
        frames.push_back(SseEvent(*change, run_id));
        *last_sent = change->revision;
      }
      return frames;
    }
  }
  *last_sent = current->revision;
  frames.push_back(SseEvent(*current, true, run_id));
  return frames;
}

std::string ConfigStreamFormat::Frame(const exposure::PublishedConfig& config,
                                      bool gap, std::string_view run_id) const {
  return SseEvent(config, gap, run_id);
}

std::vector<std::shared_ptr<const std::string>> SseFormat::SharedOpening(
    const exposure::ConfigFeed& feed, Environment env,
    std::optional<int64_t> resume_after, std::string_view run_id,
    int64_t* last_sent) const {
  std::vector<std::shared_ptr<const std::string>> frames;
  for (std::string& frame :
       Opening(feed, env, resume_after, run_id, last_sent)) {
    frames.push_back(std::make_shared<const std::string>(std::move(frame)));
  }
  return frames;
}

std::shared_ptr<const std::string> SseFormat::SharedFrame(
    const exposure::PublishedConfig& config, bool gap,
    std::string_view run_id) const {
  return std::make_shared<const std::string>(Frame(config, gap, run_id));
}

std::vector<std::shared_ptr<const std::string>>
ConfigStreamFormat::SharedOpening(const exposure::ConfigFeed& feed,
                                  Environment env,
                                  std::optional<int64_t> resume_after,
                                  std::string_view run_id,
                                  int64_t* last_sent) const {
  std::shared_ptr<const exposure::PublishedConfig> current = feed.Current(env);
  if (resume_after) {
    auto changes = feed.ChangesSince(env, *resume_after);
    if (changes && ResumeWithPatches(*changes, *current)) {
      return SseFormat::SharedOpening(feed, env, resume_after, run_id,
                                      last_sent);
    }
  }
  *last_sent = current->revision;
  return {FullFrame(*current, run_id)};
}

std::shared_ptr<const std::string> ConfigStreamFormat::SharedFrame(
    const exposure::PublishedConfig& config, bool gap,
    std::string_view run_id) const {
  if (gap || config.patch_json.empty()) return FullFrame(config, run_id);
  // Every subscriber of the environment sends the same patch frame.
  MutexLock lock(mu_);
  CachedFrame& cached =
      patch_frames_.at(static_cast<size_t>(config.environment));
  if (cached.revision != config.revision || cached.run_id != run_id) {
    cached.frame = std::make_shared<const std::string>(
        SseEvent(config, /*full_state=*/false, run_id));
    cached.revision = config.revision;
    cached.run_id = std::string(run_id);
  }
  return cached.frame;
}

// Built under the mutex: a stream that needs the same frame waits for it
// rather than building its own copy.
std::shared_ptr<const std::string> ConfigStreamFormat::FullFrame(
    const exposure::PublishedConfig& config, std::string_view run_id) const {
  MutexLock lock(mu_);
  CachedFrame& cached =
      full_frames_.at(static_cast<size_t>(config.environment));
  if (cached.revision != config.revision || cached.run_id != run_id) {
    cached.frame = std::make_shared<const std::string>(
        SseEvent(config, /*full_state=*/true, run_id));
    cached.revision = config.revision;
    cached.run_id = std::string(run_id);
  }
  return cached.frame;
}

SseStream::SseStream(exposure::ConfigFeed& feed, Environment env,
                     std::optional<int64_t> resume_after,
                     StreamRegistry::Reservation reservation,
                     std::shared_ptr<const SseFormat> format)
    : feed_(feed),
      env_(env),
      resume_after_(resume_after),
      registry_(reservation.registry()),
      reservation_(std::move(reservation)),
      format_(format ? std::move(format)
                     : std::make_shared<const ConfigStreamFormat>()) {}

SseStream::~SseStream() {
  if (subscription_) feed_.Unsubscribe(*subscription_);
  registry_.Remove(this);
}

void SseStream::Start(beast::tcp_stream stream, std::string header,
                      ConnectionLimit::Slot slot) {
  connection_slot_ = std::move(slot);
  stream_.emplace(std::move(stream));
  heartbeat_.emplace(stream_->get_executor());
  registry_.Add(this, weak_from_this());
  // Subscribe before reading the current state: a change published in
  // between arrives twice at worst, and revisions deduplicate it.
  std::weak_ptr<SseStream> weak = weak_from_this();
  auto executor = stream_->get_executor();
  subscription_ = feed_.Subscribe(
      env_, [weak, executor](
                std::shared_ptr<const exposure::PublishedConfig> config) {
        net::post(executor, [weak, config = std::move(config)]() mutable {
          if (auto self = weak.lock()) self->OnPublished(std::move(config));
        });
      });
  Enqueue(std::make_shared<const std::string>(std::move(header)));
  SendInitialState();
  ScheduleHeartbeat();
  WatchForClose();
}

void SseStream::SendInitialState() {
  for (std::shared_ptr<const std::string>& frame :
       format_->SharedOpening(feed_, env_, resume_after_, registry_.run_id(),
                              &last_sent_revision_)) {
    Enqueue(std::move(frame));
  }
}

void SseStream::OnPublished(
    std::shared_ptr<const exposure::PublishedConfig> config) {
  if (closed_ || config->revision <= last_sent_revision_) return;
  // A gap (should not happen: the feed notifies every revision) is healed
  // by the format (the configuration stream sends the full state).
  const bool gap = config->revision != last_sent_revision_ + 1;
  last_sent_revision_ = config->revision;
  Enqueue(format_->SharedFrame(*config, gap, registry_.run_id()));
}

void SseStream::Enqueue(std::shared_ptr<const std::string> frame) {
  if (closed_) return;
  if (queue_.size() >= kMaxQueuedSseEvents) return Shutdown();
  queue_.push_back(std::move(frame));
  if (!writing_) DoWrite();
}

void SseStream::DoWrite() {
  writing_ = true;
  stream_->expires_after(kSseWriteTimeout);
  net::async_write(
      *stream_, net::buffer(*queue_.front()),
      beast::bind_front_handler(&SseStream::OnWrite, shared_from_this()));
}

void SseStream::OnWrite(beast::error_code ec, size_t /*bytes*/) {
  writing_ = false;
  if (ec || closed_) return Shutdown();
  queue_.pop_front();
  if (!queue_.empty()) DoWrite();
}

void SseStream::ScheduleHeartbeat() {
  heartbeat_->expires_after(kSseHeartbeatPeriod);
  heartbeat_->async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->closed_) return;
    self->Enqueue(kHeartbeatFrame);
    self->ScheduleHeartbeat();
  });
}

// The client never sends after its request; a read completing means it
// closed (or broke the protocol): either way the stream ends. Reads go to
// the raw socket so the write timeout does not apply to them.
void SseStream::WatchForClose() {
  stream_->socket().async_read_some(
      net::buffer(read_buffer_),
      net::bind_executor(
          stream_->get_executor(),
          [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec == net::error::operation_aborted && self->closed_) {
              return;
            }
            self->Shutdown();
          }));
}

void SseStream::Close() {
  std::weak_ptr<SseStream> weak = weak_from_this();
  if (!stream_) return;
  net::dispatch(stream_->get_executor(), [weak] {
    if (auto self = weak.lock()) self->Shutdown();
  });
}

void SseStream::Shutdown() {
  if (closed_) return;
  closed_ = true;
  if (subscription_) {
    feed_.Unsubscribe(*subscription_);
    subscription_.reset();
  }
  heartbeat_->cancel();
  beast::error_code ec;
  stream_->socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_->socket().close(ec);
}

}  // namespace warden::api
