// The running Warden server: owns the store, the services, the metrics and
// the HTTP listener, and wires them together (the one application object;
// no globals). Used by `warden serve` and by in-process integration tests.
//
// First start on a data dir creates: DIR (0700), DIR/warden.db, DIR/kek
// (32 random bytes, 0600; the key-encryption key for secrets at rest),
// DIR/admin.token (0600, the bootstrap admin API token) and the audit
// chain's keys and signed checkpoint (audit/audit_key_files.h).
#ifndef WARDEN_SERVER_SERVER_APP_H_
#define WARDEN_SERVER_SERVER_APP_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_checkpointer.h"
#include "audit/audit_sink_spec.h"
#include "audit/audit_sink_streamer.h"
#include "core/status.h"
#include "signin/oidc_relying_party.h"
#include "tokens/jws_algorithm.h"

namespace warden {
class FaultInjector;  // store/sqlite/fault_injector.h
}  // namespace warden

namespace warden::server {

struct ServerOptions {
  std::string data_dir;
  // A libpq URI (postgresql://...): the store is that shared PostgreSQL
  // database (replicas) and the data directory keeps only keys. Empty: the
  // embedded SQLite database in the data directory.
  std::string database_uri;
  // The URL clients reach this server at (the load balancer in front of
  // replicas): the OAuth issuer and the single sign-on redirect base, the
  // same on every replica. Empty: the listening URL.
  std::string public_url;
  std::string listen = "127.0.0.1:8080";  // port 0 picks a free port
  // TLS on the listener (http/tls_server_context.h): PEM certificate chain
  // and private key; both empty: plain HTTP (loopback, or behind a
  // TLS-terminating proxy). With a client CA bundle, clients may present a
  // certificate that chains to it (mutual TLS for workloads). With
  // tls_client_self_signed, certificates that chain to nothing are taken
  // too, for RFC 8705 self_signed_tls_client_auth clients only.
  std::string tls_certificate_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  bool tls_client_self_signed = false;
  int io_threads = 0;       // 0: one per core
  int worker_threads = 32;  // blocking service calls (group commit batches)
  // Most write units group-committed per transaction (one fsync). 1 turns
  // group commit off: one transaction per request, the benchmark baseline.
  int commit_batch_units = 128;
  // OAuth token endpoint: sustained token requests per second per client
  // (token bucket, burst twice that); past it, 429 with Retry-After.
  double oauth_client_rate = 50;
  // OFREP evaluations per second per API token (burst: twice that); 0
  // means unlimited. Over it, OFREP answers 429 with Retry-After.
  double ofrep_token_rate = 0;
  // Algorithm of newly generated OAuth signing keys (EdDSA or ES256);
  // existing keys keep theirs, so a change takes effect at key rotation.
  tokens::JwsAlgorithm token_signing_algorithm = tokens::JwsAlgorithm::kEdDSA;
  // Lifetime of the stream tickets in OFREP eventStreams URLs.
  std::chrono::seconds ofrep_event_ticket_ttl{3600};
  // External witnesses of the audit chain: every signed checkpoint is
  // appended to this file as a JSON line (empty: none), and/or written to
  // stdout.
  std::string audit_witness_file;
  bool audit_witness_stdout = false;
  // Batches the signed audit checkpoint may lag the database by, at most
  // (audit/audit_checkpointer.h): commits wait to keep the bound. 1: only
  // the last batch (costs up to 4x write latency on flush-bound disks);
  // 0: commits never wait.
  int audit_checkpoint_max_lag = kDefaultCheckpointMaxLagBatches;
  // Audit streaming sinks (--audit-sink, audit/audit_sink_spec.h), each
  // fed from its durable cursor on a thread of its own; and the key file
  // of each webhook sink, by sink name (--audit-sink-secret-file).
  std::vector<AuditSinkSpec> audit_sinks;
  std::map<std::string, std::string> audit_sink_secret_files;
  // The sinks' poll, backoff and lease timing; `holder` and `exclusive`
  // are set by the server. Tests shorten them.
  AuditSinkStreamerOptions audit_sink_streaming;
  // Audit retention (audit/audit_retention.h): > 0 archives and prunes
  // records older than this many days, hourly, into audit_archive_dir
  // (empty: DIR/audit-archive). 0: the log is kept whole.
  int audit_retention_days = 0;
  std::string audit_archive_dir;
  // Failed authentications per second per source address (OAuth clients,
  // API keys on OFREP and the streams, stream tickets; burst ten times
  // that); past it, that address's attempts get 429 with Retry-After.
  double auth_failure_rate = 2;
  // Console sessions: signed out after this long without a request, and
  // after max_age whatever happens (signin/sign_in_service.h).
  std::chrono::seconds session_idle_timeout{15 * 60};
  std::chrono::seconds session_max_age{12 * 60 * 60};
  // Open connections (requests and streams); past it, 503 + Retry-After.
  size_t max_connections = 12'000;  // kDefaultMaxConnections
  // Open streams (/v1/stream, /ofrep/v1/events) per server and per API
  // token; past either, 503 with Retry-After.
  size_t max_streams = 10'000;           // kMaxStreamConnections
  size_t max_streams_per_token = 1'000;  // kMaxStreamsPerToken
  // How often summary audit records (successful introspection, throttled
  // authentication) are written. Tests shorten it.
  std::chrono::milliseconds audit_summary_period{10'000};
  // How long /metrics reuses its counts of stored state (identities,
  // active limits; server/store_census.h). Tests shorten it.
  std::chrono::milliseconds metrics_census_max_age{15'000};
  // Console single sign-on with an OpenID provider: off unless oidc.issuer
  // is set. An empty oidc.client_secret is read from
  // oidc_client_secret_file at start; an empty oidc.redirect_uri defaults
  // to the server's URL + "/v1/session/oidc/callback".
  signin::OidcOptions oidc;
  std::string oidc_client_secret_file;
  // Test-only seam: when set, the SQLite store consults it on every write
  // and sync (must outlive the server). Never set by `warden serve`.
  FaultInjector* store_faults = nullptr;
  // Test-only seam: runs on the worker thread just before each blocking
  // handler (e.g. to hold a request in flight while Stop() is called).
  std::function<void()> before_handler_for_test;
};

struct RouteDescription {
  std::string method;
  std::string pattern;
  bool authenticated = true;
};

class ServerApp {
 public:
  // Opens the store, bootstraps the data dir, binds the listener and starts
  // serving on background threads. Errors carry the path or address.
  static Result<std::unique_ptr<ServerApp>> Start(const ServerOptions& options);

  virtual ~ServerApp() = default;
  virtual uint16_t port() const = 0;
  virtual std::string url() const = 0;  // "http(s)://127.0.0.1:PORT"
  // Reads the TLS certificate, key and client CA files again (SIGHUP):
  // new connections use them, open ones keep theirs. On error the current
  // files stay in use. kFailedPrecondition when TLS is off.
  virtual Status ReloadTls() = 0;
  // Every route served, in registration order (for docs and the route
  // authorization test).
  virtual std::vector<RouteDescription> routes() const = 0;
  // Graceful: stops accepting, lets in-flight requests finish (bounded),
  // then closes the store. Idempotent.
  virtual void Stop() = 0;
};

// `warden serve`: starts, prints the URL and the admin token path, waits for
// SIGTERM or SIGINT, stops gracefully; SIGHUP reloads the TLS files.
// Returns the process exit code.
int RunServer(const ServerOptions& options);

}  // namespace warden::server

#endif  // WARDEN_SERVER_SERVER_APP_H_
