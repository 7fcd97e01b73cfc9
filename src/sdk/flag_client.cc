// FlagClient implementation: a background thread follows GET /v1/stream and
// publishes compiled snapshots; evaluations read the current one lock-free.
#include "warden/flag_client.h"

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <cctype>
#include <random>
#include <thread>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "eval/snapshot_builder.h"
#include "sdk/sse_connection.h"
#include "sdk/wire_config.h"
#include "sdk/wire_patch.h"

namespace warden {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kConnectTimeout{5'000};
// Event data nests flags, rules and JsonLogic; deeper is not a config.
constexpr unsigned kMaxWireDepth = 128;

FlagDetails NotReady() {
  FlagDetails details;
  details.reason = "ERROR";
  details.error_code = "PROVIDER_NOT_READY";
  details.error_message = "no configuration received yet";
  return details;
}

// Goes into the request target unescaped: letters, digits, '-' and '_'
// only ("" is fine: the token's environment).
bool IsEnvironmentName(std::string_view name) {
  return name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_';
         });
}

FlagDetails ToDetails(const eval::EvaluationResult& result) {
  FlagDetails details;
  if (result.value != nullptr) details.value = *result.value;
  details.variant = result.variant;
  details.reason = eval::ReasonName(result.reason);
  details.error_code = eval::ErrorCodeName(result.error_code);
  details.error_message = result.error_message;
  details.limit_id = result.limit_id;
  details.release_id = result.release_id;
  return details;
}

class FlagClientImpl final : public FlagClient {
 public:
  explicit FlagClientImpl(FlagClientOptions options)
      : options_(std::move(options)), random_(std::random_device{}()) {
    Result<sdk::HttpEndpoint> endpoint = sdk::ParseHttpUrl(options_.url);
    if (!endpoint.ok()) {
      SetError(endpoint.status().message());
      return;
    }
    endpoint_ = *endpoint;
    if (!IsEnvironmentName(options_.environment)) {
      SetError("flag client: environment must be a name such as production");
      return;
    }
    thread_ = std::thread([this] { Run(); });
  }

  ~FlagClientImpl() override {
    {
      MutexLock lock(mu_);
      stopping_ = true;
      if (connection_) connection_->Interrupt();
    }
    cv_.NotifyAll();
    if (thread_.joinable()) thread_.join();
  }

  bool ready() const override { return snapshot_.load() != nullptr; }

  bool WaitForReady(std::chrono::milliseconds timeout) const override {
    return WaitForRevision(1, timeout);
  }

  bool WaitForRevision(int64_t revision,
                       std::chrono::milliseconds timeout) const override {
    MutexLock lock(mu_);
    const auto deadline = Clock::now() + timeout;
    while (revision_ < revision || !ready()) {
      if (!cv_.WaitUntil(mu_, deadline)) break;
    }
    return revision_ >= revision && ready();
  }

  int64_t revision() const override {
    MutexLock lock(mu_);
    return revision_;
  }
  bool connected() const override { return connected_.load(); }
  std::string last_error() const override {
    MutexLock lock(mu_);
    return last_error_;
  }
  std::string environment() const override {
    MutexLock lock(mu_);
    return environment_;
  }
  std::string tenant() const override {
    MutexLock lock(mu_);
    return tenant_;
  }

  FlagDetails Evaluate(std::string_view flag_key,
                       const FlagContext& context) const override {
    std::shared_ptr<const eval::Snapshot> snapshot = snapshot_.load();
    if (snapshot == nullptr) return NotReady();
    eval::EvaluationContext ctx;
    ctx.targeting_key = context.targeting_key;
    ctx.attributes = context.attributes;
    ctx.now = SystemClock().Now();
    // A tenant-bound token's view evaluates for its tenant, stored
    // attributes first, as the server does for that token (OFREP).
    if (const std::string& tenant = snapshot->sections().bound_tenant;
        !tenant.empty()) {
      ctx.targeting_key = tenant;
      ctx.stored_attributes_first = true;
    }
    return ToDetails(snapshot->Evaluate(flag_key, ctx));
  }

  void AddChangeListener(ChangeListener listener) override {
    MutexLock lock(listeners_mu_);
    listeners_.push_back(std::move(listener));
  }

 private:
  void Run() {
    int attempt = 0;
    while (!stopping()) {
      const Status status = FollowStream(&attempt);
      connected_ = false;
      if (!status.ok()) SetError(status.ToString());
      if (!SleepBackoff(attempt++)) return;
    }
  }

  // One connection: opens, applies events until the stream fails.
  Status FollowStream(int* attempt) {
    std::vector<std::pair<std::string, std::string>> headers{
        {"X-API-Key", options_.token}};
    if (!last_event_id_.empty()) {
      headers.emplace_back("Last-Event-ID", last_event_id_);
    }
    Result<std::unique_ptr<sdk::SseConnection>> opened =
        sdk::SseConnection::Open(endpoint_, StreamTarget(), headers,
                                 kConnectTimeout);
    if (!opened.ok()) return opened.status();
    sdk::SseConnection* connection = opened->get();
    {
      MutexLock lock(mu_);
      if (stopping_) return Status::Ok();
      connection_ = std::move(*opened);
    }
    connected_ = true;
    Status status;
    while (status.ok()) {
      Result<sdk::StreamEvent> event = connection->Next(options_.read_timeout);
      if (!event.ok()) {
        status = event.status();
        break;
      }
      status = Apply(*event);
      if (status.ok()) *attempt = 0;
    }
    MutexLock lock(mu_);
    connection_.reset();
    return status;
  }

  // Without an environment the server streams the sdk token's own.
  std::string StreamTarget() const {
    if (options_.environment.empty()) return "/v1/stream";
    return "/v1/stream?environment=" + options_.environment;
  }

  // A "config" event replaces the held configuration; a "change" event
  // patches it when its base is the applied revision (sse_stream.h).
  Status Apply(const sdk::StreamEvent& event) {
    json::parse_options options;
    options.max_depth = kMaxWireDepth;
    boost::system::error_code ec;
    json::value data = json::parse(event.data, ec, {}, options);
    if (ec || !data.is_object()) return Unavailable("malformed stream event");
    json::object& object = data.as_object();
    if (json::value* config = object.if_contains("config")) {
      if (!config->is_object()) {
        return Unavailable("stream event config is not an object");
      }
      wire_ = std::move(config->as_object());
      const Status status = Compile(event.id);
      if (!status.ok()) wire_.clear();
      return status;
    }
    return ApplyPatch(object, event.id);
  }

  // Patches wire_ (sdk/wire_patch.h), then compiles; when the base is not
  // the applied revision, or the result does not compile, the client
  // resyncs from a full configuration.
  Status ApplyPatch(const json::object& data, const std::string& id) {
    if (wire_.empty()) return Resync("patch before any configuration");
    const Status patched = sdk::ApplyWirePatch(data, wire_);
    if (!patched.ok()) return Resync(patched.message());
    // The last good snapshot keeps serving until the resync.
    const Status status = Compile(id);
    if (status.ok()) return status;
    return Resync(status.message());
  }

  // The next connection starts from the full state.
  Status Resync(std::string reason) {
    last_event_id_.clear();
    wire_.clear();
    return Unavailable("resync: " + reason);
  }

  Status Compile(const std::string& id) {
    WARDEN_ASSIGN_OR_RETURN(sdk::WireConfig wire, sdk::ParseWireConfig(wire_));
    WARDEN_ASSIGN_OR_RETURN(
        std::shared_ptr<const eval::Snapshot> snapshot,
        eval::SnapshotBuilder().Build(std::move(wire.config),
                                      static_cast<uint64_t>(wire.revision)));
    snapshot_.store(std::move(snapshot));
    last_event_id_ = id;
    {
      MutexLock lock(mu_);
      revision_ = wire.revision;
      environment_ = std::move(wire.environment);
      tenant_ = std::move(wire.tenant);
    }
    cv_.NotifyAll();
    NotifyListeners(wire.revision);
    return Status::Ok();
  }

  void NotifyListeners(int64_t revision) {
    MutexLock lock(listeners_mu_);
    for (const ChangeListener& listener : listeners_) listener(revision);
  }

  // Full jitter (uniform in [0, cap]); false when stopping.
  bool SleepBackoff(int attempt) {
    auto cap = options_.initial_backoff * (int64_t{1} << std::min(attempt, 20));
    cap = std::min(cap, options_.max_backoff);
    std::uniform_int_distribution<int64_t> pick(0, cap.count());
    const std::chrono::milliseconds delay(pick(random_));
    MutexLock lock(mu_);
    const auto deadline = Clock::now() + delay;
    while (!stopping_) {
      if (!cv_.WaitUntil(mu_, deadline)) break;
    }
    return !stopping_;
  }

  bool stopping() const {
    MutexLock lock(mu_);
    return stopping_;
  }

  void SetError(std::string error) {
    MutexLock lock(mu_);
    last_error_ = std::move(error);
  }

  // Immutable after construction.
  const FlagClientOptions options_;
  sdk::HttpEndpoint endpoint_;
  // Background thread only.
  std::mt19937_64 random_;
  std::string last_event_id_;
  // The applied configuration as received (wire JSON, patched in place);
  // empty until the first "config" event and after a resync.
  json::object wire_;
  // Lock-free read path.
  std::atomic<std::shared_ptr<const eval::Snapshot>> snapshot_;
  std::atomic<bool> connected_{false};
  mutable Mutex mu_;
  mutable CondVar cv_;  // revision_ advanced, or stopping_
  bool stopping_ WARDEN_GUARDED_BY(mu_) = false;
  int64_t revision_ WARDEN_GUARDED_BY(mu_) = 0;
  std::string last_error_ WARDEN_GUARDED_BY(mu_);
  std::string environment_ WARDEN_GUARDED_BY(mu_);  // of the applied config
  std::string tenant_ WARDEN_GUARDED_BY(mu_);
  std::unique_ptr<sdk::SseConnection> connection_ WARDEN_GUARDED_BY(mu_);
  Mutex listeners_mu_;
  std::vector<ChangeListener> listeners_ WARDEN_GUARDED_BY(listeners_mu_);
  std::thread thread_;  // last: started after everything else exists
};

}  // namespace

std::unique_ptr<FlagClient> FlagClient::Start(FlagClientOptions options) {
  return std::make_unique<FlagClientImpl>(std::move(options));
}

bool FlagClient::GetBoolean(std::string_view key, bool default_value,
                            const FlagContext& context) const {
  FlagDetails details = Evaluate(key, context);
  return details.value.is_bool() ? details.value.as_bool() : default_value;
}

std::string FlagClient::GetString(std::string_view key,
                                  std::string default_value,
                                  const FlagContext& context) const {
  FlagDetails details = Evaluate(key, context);
  if (!details.value.is_string()) return default_value;
  return std::string(details.value.as_string());
}

double FlagClient::GetNumber(std::string_view key, double default_value,
                             const FlagContext& context) const {
  FlagDetails details = Evaluate(key, context);
  if (!details.value.is_number()) return default_value;
  return details.value.to_number<double>();
}

}  // namespace warden
