// Warden flag client: in-process flag evaluation from a streamed snapshot.
//
//   warden::FlagClientOptions options;
//   options.url = "http://127.0.0.1:8080";
//   options.token = sdk_token;            // an sdk token (or admin)
//   auto client = warden::FlagClient::Start(options);
//   client->WaitForReady(std::chrono::seconds(5));
//   if (client->GetBoolean("new-checkout", false, {.targeting_key = "acme"}))
//
// The client follows GET /v1/stream (Server-Sent Events) on a background
// thread, compiles each received configuration with the same evaluator the
// server uses (eval::SnapshotBuilder) and swaps it in atomically.
// Evaluations never block on the network: while the server is unreachable
// the last snapshot keeps serving; the client reconnects with exponential
// backoff and full jitter, resuming with Last-Event-ID. Before the first
// snapshot, every evaluation returns the caller's default (reason ERROR,
// error code PROVIDER_NOT_READY).
//
// Binding: an sdk token is bound to one environment (and maybe one
// tenant). Left empty, `environment` is the token's own (an admin token's
// default is development); environment() and tenant() report what the
// server streamed. Given and different from the token's, the server
// refuses the stream and last_error() names both, e.g. "... the sdk token
// is bound to environment staging; the client asked for production".
//
// Thread-safety: every method may be called from any thread. Listeners run
// on the client's background thread, one at a time; they must not call
// AddChangeListener or destroy the client.
#ifndef WARDEN_FLAG_CLIENT_H_
#define WARDEN_FLAG_CLIENT_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace warden {

struct FlagClientOptions {
  std::string url;    // "http://HOST:PORT" (plain HTTP; TLS via a proxy)
  std::string token;  // sdk or admin token; sent as X-API-Key
  // "development", "staging" or "production"; empty: the sdk token's own.
  std::string environment;
  // Reconnect delay: uniformly random in [0, min(max, initial * 2^n)].
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{10'000};
  // No byte (event or heartbeat, every 15 s) for this long: the connection
  // is presumed dead and replaced.
  std::chrono::milliseconds read_timeout{45'000};
};

struct FlagContext {
  std::string targeting_key;  // the tenant key
  boost::json::object attributes;
};

// One evaluation, by value (safe to keep).
struct FlagDetails {
  boost::json::value value;  // null: no value, the caller's default applies
  std::string variant;
  std::string reason;      // OpenFeature reason, e.g. "TARGETING_MATCH"
  std::string error_code;  // "" on success, else e.g. "FLAG_NOT_FOUND"
  std::string error_message;
  std::string limit_id;  // reason "LIMITED": the exposure limit's id
  // Reasons "GATED" and "STAGED": the release holding the flag back.
  std::string release_id;
};

class FlagClient {
 public:
  // Called after each applied configuration with its revision.
  using ChangeListener = std::function<void(int64_t revision)>;

  // Starts the background thread; never fails (errors show as
  // !ready() and in last_error()).
  static std::unique_ptr<FlagClient> Start(FlagClientOptions options);
  virtual ~FlagClient() = default;  // stops the thread and closes the stream

  // True once a snapshot has been received (stays true across outages).
  virtual bool ready() const = 0;
  virtual bool WaitForReady(std::chrono::milliseconds timeout) const = 0;
  // Waits until the applied revision is >= `revision`.
  virtual bool WaitForRevision(int64_t revision,
                               std::chrono::milliseconds timeout) const = 0;
  virtual int64_t revision() const = 0;  // 0 before the first snapshot
  virtual bool connected() const = 0;
  virtual std::string last_error() const = 0;
  // What the applied configuration is for, as the server streamed it
  // (learned from the token when the options left it out): the
  // environment's name, and the tenant a tenant-bound token is limited to
  // ("" when unbound). Both "" before the first snapshot.
  virtual std::string environment() const = 0;
  virtual std::string tenant() const = 0;

  virtual FlagDetails Evaluate(std::string_view flag_key,
                               const FlagContext& context) const = 0;
  // Typed helpers: the caller's default unless the flag yields a value of
  // that type (integers may be read as double).
  bool GetBoolean(std::string_view key, bool default_value,
                  const FlagContext& context) const;
  std::string GetString(std::string_view key, std::string default_value,
                        const FlagContext& context) const;
  double GetNumber(std::string_view key, double default_value,
                   const FlagContext& context) const;

  virtual void AddChangeListener(ChangeListener listener) = 0;
};

}  // namespace warden

#endif  // WARDEN_FLAG_CLIENT_H_
