#include "server/server_app.h"

#include <sched.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "api/access_policy_routes.h"
#include "api/api_routes.h"
#include "api/authzen_routes.h"
#include "api/bearer_authentication.h"
#include "api/console_event_routes.h"
#include "api/exposure_routes.h"
#include "api/oauth_routes.h"
#include "api/ofrep_authenticator.h"
#include "api/ofrep_event_routes.h"
#include "api/ofrep_routes.h"
#include "api/oidc_routes.h"
#include "api/posture_routes.h"
#include "api/release_routes.h"
#include "api/session_routes.h"
#include "api/stream_routes.h"
#include "approvals/approval_engine.h"
#include "audit/audit_chain_startup.h"
#include "audit/audit_checkpointer.h"
#include "audit/audit_key_files.h"
#include "audit/audit_retention.h"
#include "core/clock.h"
#include "core/vocabulary.h"
#include "exposure/evaluation_recorder.h"
#include "exposure/exposure_publisher.h"
#include "http/connection_limit.h"
#include "http/in_flight_requests.h"
#include "http/listen_address.h"
#include "http/listener.h"
#include "http/metrics.h"
#include "http/request_pipeline.h"
#include "http/router.h"
#include "http/stream_registry.h"
#include "http/tls_server_context.h"
#include "inventory/access_service.h"
#include "inventory/audit_service.h"
#include "inventory/exception_service.h"
#include "inventory/inventory_service.h"
#include "inventory/team_service.h"
#include "oauth/authorization_server.h"
#include "oauth/workload_authenticator.h"
#include "releases/release_gates.h"
#include "server/audit_sinks.h"
#include "server/certificate_secret_module.h"
#include "server/data_directory.h"
#include "server/oidc_setup.h"
#include "server/online_audit_check.h"
#include "server/readiness.h"
#include "server/replica_changes.h"
#include "server/server_metrics.h"
#include "server/store_census.h"
#include "service/audit_summary_recorder.h"
#include "service/auditor.h"
#include "service/auth_failure_throttle.h"
#include "signin/oidc_relying_party.h"
#include "signin/sign_in_service.h"
#include "signin/totp_key_sealer.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "web/console_routes.h"

namespace warden::server {
namespace {

namespace net = boost::asio;

// How long Stop() lets in-flight requests finish before closing anyway.
constexpr std::chrono::seconds kShutdownGrace{10};
// The expiry sweep's period (expires_at has minute-level precision in
// practice; a sweep is one indexed query when nothing is due).
constexpr std::chrono::seconds kExpirySweepPeriod{60};

// The listener's TLS context from --tls-cert, --tls-key, --tls-client-ca
// and --tls-client-self-signed; null for plain HTTP.
Result<std::unique_ptr<TlsServerContext>> LoadListenerTls(
    const ServerOptions& options) {
  const bool certificate = !options.tls_certificate_file.empty();
  const bool key = !options.tls_key_file.empty();
  if (certificate != key) {
    return InvalidArgument("--tls-cert and --tls-key go together",
                           "tls-config-invalid");
  }
  if (!certificate) {
    if (!options.tls_client_ca_file.empty() || options.tls_client_self_signed) {
      return InvalidArgument(
          "--tls-client-ca and --tls-client-self-signed need --tls-cert and "
          "--tls-key",
          "tls-config-invalid");
    }
    return std::unique_ptr<TlsServerContext>();
  }
  return TlsServerContext::Load(
      {options.tls_certificate_file, options.tls_key_file,
       options.tls_client_ca_file, options.tls_client_self_signed});
}
// Read snapshots served concurrently by the store.
constexpr int kStoreReadConnections = 4;

// One I/O thread per core this process may run on: the affinity mask, not
// the machine (taskset, cgroup cpusets). More threads than cores only add
// context switches on the inline paths (OFREP).
int IoThreadCount(int requested) {
  if (requested > 0) return requested;
  cpu_set_t cpus;
  if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0) {
    return std::max(1, CPU_COUNT(&cpus));
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// The audit chain's checkpoint file and external witnesses, signed with
// the data dir's checkpoint key. The checkpoint clock is the system's
// (stateless, so one shared instance is no mutable global).
Result<std::unique_ptr<AuditCheckpointer>> OpenAuditCheckpointer(
    const ServerOptions& options, const AuditKeys& keys) {
  static const SystemClock kCheckpointClock;
  std::vector<std::unique_ptr<AuditWitness>> witnesses;
  if (!options.audit_witness_file.empty()) {
    WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<FileAuditWitness> file,
                            FileAuditWitness::Open(options.audit_witness_file));
    witnesses.push_back(std::move(file));
  }
  if (options.audit_witness_stdout) {
    witnesses.push_back(std::make_unique<StreamAuditWitness>(stdout, "stdout"));
  }
  std::unique_ptr<WitnessPublisher> publisher;
  if (!witnesses.empty()) {
    publisher = std::make_unique<WitnessPublisher>(std::move(witnesses));
  }
  return std::make_unique<AuditCheckpointer>(
      AuditFilePath(options.data_dir, kAuditCheckpointFileName), keys.signer,
      kCheckpointClock, std::move(publisher), options.audit_checkpoint_max_lag);
}

// What the store reports to, owned by the caller.
struct StoreWiring {
  Metrics* metrics;
  AuditCheckpointer* checkpointer;
  ChangeFeed* changes;
  ReplicaChanges* replica_changes;
  ClusterLease* lease;
  ChangeFollowerHealth* follower_health;
};

// The shared PostgreSQL store with --db, else SQLite in the data directory.
Result<std::unique_ptr<Store>> OpenServerStore(const ServerOptions& options,
                                               const DataDirectory& dir,
                                               const AuditKeys& audit_keys,
                                               const StoreWiring& wiring) {
  if (!options.database_uri.empty()) {
    PostgresStoreOptions store_options;
    store_options.uri = options.database_uri;
    store_options.read_connections = kStoreReadConnections;
    store_options.max_batch_units = std::max(1, options.commit_batch_units);
    store_options.observer = wiring.metrics;
    store_options.audit_key = audit_keys.chain_key;
    store_options.audit_heads = wiring.checkpointer;
    store_options.changes = wiring.changes;
    store_options.lease = wiring.lease;
    store_options.follower_health = wiring.follower_health;
    store_options.on_remote_changes =
        [replica = wiring.replica_changes](std::span<const std::string> keys) {
          replica->Apply(keys);
        };
    return OpenPostgresStore(store_options);
  }
  SqliteStoreOptions store_options;
  store_options.path = dir.File(kDatabaseFileName);
  store_options.read_connections = kStoreReadConnections;
  store_options.max_batch_units = std::max(1, options.commit_batch_units);
  store_options.observer = wiring.metrics;
  store_options.faults = options.store_faults;
  store_options.audit_key = audit_keys.chain_key;
  store_options.audit_heads = wiring.checkpointer;
  store_options.changes = wiring.changes;
  return OpenSqliteStore(store_options);
}

class ServerAppImpl final : public ServerApp {
 public:
  ServerAppImpl(const ServerOptions& options, std::unique_ptr<Metrics> metrics,
                std::unique_ptr<AuditCheckpointer> audit_checkpointer,
                std::unique_ptr<ChangeFeed> changes,
                std::unique_ptr<ReplicaChanges> replica_changes,
                std::unique_ptr<ClusterLease> lease,
                std::unique_ptr<ChangeFollowerHealth> follower_health,
                std::unique_ptr<Store> store,
                std::unique_ptr<AuditSinkStreamer> audit_sinks,
                api::OfrepEventTicketSigner event_tickets)
      : options_(options),
        metrics_(std::move(metrics)),
        audit_checkpointer_(std::move(audit_checkpointer)),
        changes_(std::move(changes)),
        replica_changes_(std::move(replica_changes)),
        lease_(std::move(lease)),
        follower_health_(std::move(follower_health)),
        store_(std::move(store)),
        audit_sinks_(std::move(audit_sinks)),
        auditor_(*store_, clock_),
        census_(*store_, clock_, options.metrics_census_max_age),
        summaries_(*store_, auditor_, options.audit_summary_period),
        auth_failures_(options.auth_failure_rate, summaries_, clock_),
        teams_(*store_, auditor_),
        approvals_(*store_, auditor_),
        inventory_(*store_, auditor_, &approvals_),
        exceptions_(*store_, auditor_, &approvals_),
        access_(*store_, auditor_),
        audit_(*store_, auditor_),
        publisher_(*store_, feed_),
        flags_(*store_, auditor_, publisher_),
        tenants_(*store_, auditor_, publisher_),
        segments_(*store_, auditor_, publisher_),
        limits_(*store_, auditor_, publisher_),
        access_facts_(*store_, *changes_, feed_, TrustDomainFromEnvironment(),
                      clock_),
        access_decisions_(*store_, auditor_, summaries_, access_facts_),
        access_policies_(*store_, auditor_, approvals_, access_decisions_),
        releases_(*store_, auditor_, publisher_, approvals_),
        stages_(*store_, auditor_, publisher_, approvals_),
        tenant_releases_(*store_, auditor_, publisher_),
        sweep_(*store_, auditor_, inventory_),
        findings_(*store_, auditor_, sweep_),
        maturity_(auditor_, sweep_),
        reviews_(*store_, auditor_, inventory_),
        drift_(*store_, auditor_),
        scan_schedule_(*store_, auditor_, drift_),
        evaluations_(*store_, clock_),
        evaluation_auth_(access_, *store_, auditor_, clock_, &auth_failures_),
        streams_(
            StreamLimits{options.max_streams, options.max_streams_per_token}),
        event_tickets_(std::move(event_tickets)),
        connections_(options.max_connections),
        ioc_(IoThreadCount(options.io_threads)),
        workers_(static_cast<size_t>(std::max(1, options.worker_threads))),
        pipeline_(router_, bearer_, *metrics_, clock_, workers_),
        expiry_timer_(ioc_) {
    limits_.set_time_to_limit_observer(
        [metrics = metrics_.get()](std::string_view scope,
                                   std::chrono::microseconds elapsed) {
          metrics->OnLimitSet(scope, elapsed);
        });
    api::AddOperationsRoutes(
        router_,
        [this] {
          return CheckReadiness({*store_, oauth_, publisher_, clock_,
                                 options_.database_uri.empty()
                                     ? nullptr
                                     : follower_health_.get()});
        },
        *metrics_);
    AddServerCollectors(*metrics_,
                        {census_, streams_, feed_, publisher_, oauth_, clock_});
    pipeline_.set_public_route_credentials(PublicRouteCredentialKinds());
    AddAuditSinkCollector(*metrics_, *audit_sinks_);
    api::AddTeamRoutes(router_, teams_);
    api::AddIdentityRoutes(router_, inventory_);
    api::AddExceptionRoutes(router_, exceptions_);
    api::AddApprovalRoutes(router_, approvals_);
    api::AddAccessRoutes(router_, access_);
    api::AddAuditRoutes(router_, audit_);
    api::AddOAuthRoutes(router_, oauth_, access_, auditor_);
    api::AddExposureRoutes(
        router_, {feed_, flags_, tenants_, segments_, limits_, auditor_});
    publisher_.SetGateLoader(&releases::LoadReleaseGates);
    releases_.RegisterApprovalKinds();
    api::AddReleaseRoutes(router_, {releases_, stages_, tenant_releases_});
    api::AddPostureRoutes(router_, {findings_, maturity_, reviews_});
    api::AddDiscoveryRoutes(router_, {drift_, scan_schedule_});
    api::AddAuthzenRoutes(router_, {access_decisions_, public_url_});
    api::AddAccessPolicyRoutes(router_, access_policies_);
    web::AddConsoleRoutes(router_);
    if (options.ofrep_token_rate > 0) {
      evaluation_limiter_ = std::make_unique<KeyedRateLimiter>(
          RateLimit{options.ofrep_token_rate, 2 * options.ofrep_token_rate});
    }
    api::AddOfrepRoutes(router_, {feed_, evaluation_auth_, evaluations_, clock_,
                                  evaluation_limiter_.get(), &event_tickets_,
                                  options.ofrep_event_ticket_ttl});
    api::AddOfrepEventRoutes(
        router_, {feed_, evaluation_auth_, access_, *store_, auditor_, streams_,
                  event_tickets_, clock_});
    api::AddStreamRoutes(router_, {feed_, evaluation_auth_, streams_});
    api::AddConsoleEventRoutes(router_, {feed_, streams_, *store_, auditor_});
    access_.CacheAuthentications(*changes_);
    access_.set_credentials_changed_listener([this] {
      evaluation_auth_.Invalidate();
      streams_.CloseOpen();
    });
    // OFREP token cache refreshes run on the pool, not the I/O thread.
    evaluation_auth_.RunRefreshesOn([this](std::function<void()> task) {
      net::post(workers_, std::move(task));
    });
    pipeline_.set_before_handler_for_test(options.before_handler_for_test);
  }

  ~ServerAppImpl() override { Stop(); }

  // POST /v1/audit/verify: the chain checked online with the same key and
  // signed checkpoint the server keeps it with.
  void WireAuditVerification(const AuditKeys& keys,
                             const std::string& data_dir) {
    audit_.set_chain_checker(OnlineAuditChainChecker(
        *store_, keys.chain_key,
        AuditFilePath(data_dir, kAuditCheckpointFileName),
        keys.signer.public_key()));
  }

  // --audit-retention-days: archives and prunes on its own thread, only
  // what this process's signed checkpoint covers, only on the lease holder.
  Status StartAuditRetention(const AuditKeys& keys,
                             const std::string& data_dir) {
    if (options_.audit_retention_days <= 0) return Status::Ok();
    AuditRetentionOptions retention;
    retention.retention_days = options_.audit_retention_days;
    retention.archive_dir =
        options_.audit_archive_dir.empty()
            ? (std::filesystem::path(data_dir) / "audit-archive").string()
            : options_.audit_archive_dir;
    // Prunable: what the newest signed checkpoint covers and every audit
    // sink has delivered (a sink never loses records to retention).
    AuditCheckpointer* checkpointer = audit_checkpointer_.get();
    const AuditSinkStreamer* sinks = audit_sinks_.get();
    audit_retention_ = std::make_unique<AuditRetention>(
        *store_, keys.chain_key, keys.signer,
        [checkpointer, sinks] {
          int64_t limit = checkpointer->recorded_sequence();
          for (const AuditSinkStatus& sink : sinks->Statuses()) {
            limit = std::min(limit, sink.delivered_sequence + 1);
          }
          return limit;
        },
        *lease_, clock_, retention);
    return audit_retention_->Start();
  }

  Status Bootstrap(const DataDirectory& dir, bool loopback) {
    WARDEN_RETURN_IF_ERROR(StartSignIn(dir, loopback));
    // Certificates, secrets and break-glass: CA and keyring files.
    Result<std::unique_ptr<CredentialModule>> credentials =
        CredentialModule::Create(*store_, auditor_, dir.path(), clock_.Now());
    if (!credentials.ok()) return credentials.status();
    credentials_ = std::move(credentials).value();
    credentials_->AddRoutes(router_);
    // Every environment is served from the first start, flags or not.
    WARDEN_RETURN_IF_ERROR(publisher_.PublishAll({}).WithContext(
        "publish exposure configuration"));
    WARDEN_RETURN_IF_ERROR(
        access_decisions_.LoadAll().WithContext("load access policies"));
    Result<std::optional<std::string>> secret = access_.BootstrapAdminToken();
    if (!secret.ok()) return secret.status().WithContext("bootstrap admin");
    if (!secret->has_value()) return Status::Ok();
    return dir.WriteSecretFile(kAdminTokenFileName, **secret + "\n");
  }

  Status Listen(const net::ip::tcp::endpoint& at,
                oauth::OAuthKeyCustody oauth_custody,
                std::unique_ptr<TlsServerContext> tls) {
    tls_ = std::move(tls);
    WARDEN_ASSIGN_OR_RETURN(
        listener_,
        Listener::Open(ioc_, at, pipeline_, in_flight_, connections_,
                       IoThreadCount(options_.io_threads) == 1, tls_.get()));
    endpoint_ = listener_->local_endpoint();
    public_url_ = PublicUrl();
    WARDEN_RETURN_IF_ERROR(StartOAuth(std::move(oauth_custody)));
    WARDEN_RETURN_IF_ERROR(StartOidc());
    listener_->Run();
    audit_sinks_->Start();
    ScheduleExpirySweep();
    for (int i = 0; i < IoThreadCount(options_.io_threads); ++i) {
      io_threads_.emplace_back([this] { ioc_.run(); });
    }
    return Status::Ok();
  }

  uint16_t port() const override { return endpoint_.port(); }

  // --public-url, else the listening URL.
  std::string PublicUrl() const {
    return options_.public_url.empty() ? url() : options_.public_url;
  }

  std::string url() const override {
    std::string host = endpoint_.address().to_string();
    if (endpoint_.address().is_v6()) host = "[" + host + "]";
    return (tls_ ? "https://" : "http://") + host + ":" +
           std::to_string(endpoint_.port());
  }

  Status ReloadTls() override {
    if (!tls_) {
      return FailedPrecondition("TLS is off (no --tls-cert and --tls-key)");
    }
    return tls_->Reload();
  }

  std::vector<RouteDescription> routes() const override {
    std::vector<RouteDescription> out;
    for (const Route& route : router_.routes()) {
      out.push_back({route.method, route.pattern,
                     route.access == RouteAccess::kAuthenticated});
    }
    return out;
  }

  // Order matters: no new connections, then in-flight requests finish
  // (bounded), then the worker pool drains, then I/O stops, and only then
  // is the store closed, so no request ever sees a closed store.
  void Stop() override {
    if (stopped_.exchange(true)) return;
    in_flight_.StartDraining();
    if (listener_) listener_->Close();
    streams_.CloseAll();  // streams never finish on their own
    net::post(ioc_, [this] { expiry_timer_.cancel(); });
    if (!in_flight_.WaitIdle(kShutdownGrace)) {
      std::fprintf(stderr, "stop: requests still running after %llds\n",
                   static_cast<long long>(kShutdownGrace.count()));
    }
    workers_.join();
    io_work_.reset();
    ioc_.stop();
    for (std::thread& t : io_threads_) t.join();
    io_threads_.clear();
    FlushEvaluations();
    replica_changes_->Detach();
    if (oauth_) oauth_->Stop();
    summaries_.Stop();
    if (audit_retention_) audit_retention_->Stop();
    // Before the store closes: the sinks give their leases up in it.
    audit_sinks_->Stop();
    store_->Close();
    // After the store: its last commits still report their heads.
    audit_checkpointer_->Stop();
  }

 private:
  // Console sign-in: TOTP keys are sealed under the data dir's KEK.
  Status StartSignIn(const DataDirectory& dir, bool loopback) {
    WARDEN_ASSIGN_OR_RETURN(secrets::KeyEncryptionKey kek,
                            dir.LoadKeyEncryptionKey());
    totp_sealer_ = std::make_unique<signin::TotpKeySealer>(kek);
    signin::SessionPolicy policy;
    policy.idle_timeout = options_.session_idle_timeout;
    policy.max_age = options_.session_max_age;
    sign_in_ = std::make_unique<signin::SignInService>(
        *store_, auditor_, *totp_sealer_, &auth_failures_, policy);
    user_credentials_ = std::make_unique<signin::UserCredentialService>(
        *store_, auditor_, *totp_sealer_);
    api::AddSessionRoutes(router_, {*sign_in_, *user_credentials_, !loopback});
    bearer_.set_sessions(sign_in_.get());
    return Status::Ok();
  }

  // Single sign-on needs the server's URL (the default redirect URI), known
  // once bound; before Run(), so no request sees it half made.
  Status StartOidc() {
    // The cookie's Secure attribute as for password sign-in.
    api::AddOidcRoutes(router_,
                       {oidc_, *sign_in_, auditor_,
                        !endpoint_.address().is_loopback(), &auth_failures_});
    if (!options_.oidc.enabled()) return Status::Ok();
    Result<signin::OidcOptions> oidc = ResolveOidcOptions(
        options_.oidc, options_.oidc_client_secret_file, PublicUrl());
    if (!oidc.ok()) return oidc.status().WithContext("single sign-on");
    oidc_ = std::make_unique<signin::OidcRelyingParty>(
        std::move(*oidc), *store_, oidc_client_, clock_);
    return Status::Ok();
  }

  // The OAuth server needs its own URL (the issuer), known once bound.
  Status StartOAuth(oauth::OAuthKeyCustody custody) {
    oauth::AuthorizationServerOptions oauth;
    oauth.issuer = PublicUrl();
    oauth.rate_limit.per_second = options_.oauth_client_rate;
    oauth.rate_limit.burst = 2 * options_.oauth_client_rate;
    oauth.throttle = &auth_failures_;
    oauth.changes = changes_.get();
    oauth.summaries = &summaries_;
    oauth.key_policy.algorithm = options_.token_signing_algorithm;
    const bool tls = !options_.tls_certificate_file.empty();
    oauth.tls_client_auth = tls && !options_.tls_client_ca_file.empty();
    oauth.self_signed_tls_client_auth = tls && options_.tls_client_self_signed;
    Result<std::unique_ptr<oauth::AuthorizationServer>> server =
        oauth::AuthorizationServer::Create(*store_, auditor_, feed_, inventory_,
                                           std::move(custody),
                                           std::move(oauth));
    if (!server.ok()) return server.status().WithContext("start oauth");
    oauth_ = std::move(*server);
    // Before Run(): setting a limit revokes and blocks its tied tokens.
    limits_.set_enforcer(&oauth_->limits());
    if (credentials_) {
      oauth::AuthorizationServer* oauth_server = oauth_.get();
      credentials_->break_glass().set_transition_listener(
          [oauth_server](const Identity& identity) {
            oauth_server->OnIdentityTransition(identity);
          });
    }
    // Before Run(): no request has been read yet.
    workloads_ = std::make_unique<oauth::WorkloadAuthenticator>(
        oauth_->revocation(), auditor_);
    bearer_.set_workloads(workloads_.get());
    // From here other replicas' commits reach this process's state.
    auto credentials_changed = [this] {
      evaluation_auth_.Invalidate();
      streams_.CloseOpen();
    };
    replica_changes_->Attach(&publisher_, oauth_.get(), &access_decisions_,
                             std::move(credentials_changed));
    return Status::Ok();
  }

  // An environment whose last publish failed shows an old configuration
  // (and fails readiness) until a publish succeeds: retried each sweep,
  // on every replica (each publishes its own feed).
  void RepublishStale() {
    for (Environment env : exposure::kAllEnvironments) {
      if (publisher_.State(env).in_sync) continue;
      const Status published = publisher_.Publish(env, {});
      if (!published.ok()) {
        std::fprintf(stderr, "republish %s: %s\n",
                     std::string(Name(env)).c_str(),
                     published.ToString().c_str());
      }
    }
  }

  // Stale-flag bookkeeping: one batched write per sweep period.
  void FlushEvaluations() {
    const Status flushed = evaluations_.Flush();
    if (!flushed.ok()) {
      std::fprintf(stderr, "evaluation flush: %s\n",
                   flushed.ToString().c_str());
    }
  }

  void ScheduleExpirySweep() {
    expiry_timer_.expires_after(kExpirySweepPeriod);
    expiry_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || in_flight_.draining()) return;
      net::post(workers_, [this] {
        FlushEvaluations();
        RepublishStale();
        // Replicas on one PostgreSQL: only the lease holder runs the
        // cluster's scheduled work; every replica refreshes its own state.
        const bool leads = lease_->held();
        if (oauth_) {
          const Status keys = leads ? oauth_->Maintain(clock_.Now())
                                    : oauth_->Refresh(clock_.Now());
          if (!keys.ok()) {
            std::fprintf(stderr, "key maintenance: %s\n",
                         keys.ToString().c_str());
          }
        }
        if (!leads) return;
        if (credentials_) credentials_->Sweep();
        if (sign_in_) {
          const Status sessions = sign_in_->Sweep();
          if (!sessions.ok()) {
            std::fprintf(stderr, "session sweep: %s\n",
                         sessions.ToString().c_str());
          }
        }
        Result<int> expired = inventory_.ExpireDue();
        if (!expired.ok()) {
          std::fprintf(stderr, "expiry sweep: %s\n",
                       expired.status().ToString().c_str());
        }
        Result<int> advanced = stages_.AdvanceDue();
        if (!advanced.ok()) {
          std::fprintf(stderr, "release scheduler: %s\n",
                       advanced.status().ToString().c_str());
        }
        Result<int> lapsed = approvals_.ExpireDue();
        if (!lapsed.ok()) {
          std::fprintf(stderr, "approval expiry sweep: %s\n",
                       lapsed.status().ToString().c_str());
        }
        SweepPosture();
      });
      ScheduleExpirySweep();
    });
  }

  // Reviews fall due, scheduled scans come round, and findings follow time
  // (expiry, unused windows): all are re-evaluated on the sweep tick.
  void SweepPosture() {
    Result<int64_t> overdue = reviews_.CloseDue();
    if (!overdue.ok()) {
      std::fprintf(stderr, "review close sweep: %s\n",
                   overdue.status().ToString().c_str());
    }
    Result<int> scanned = scan_schedule_.RunDue();
    if (!scanned.ok()) {
      std::fprintf(stderr, "scheduled scans: %s\n",
                   scanned.status().ToString().c_str());
    }
    const Status swept = sweep_.RunIfStale();
    if (!swept.ok()) {
      std::fprintf(stderr, "posture sweep: %s\n", swept.ToString().c_str());
    }
  }

  // Declaration order is destruction order in reverse: the worker pool dies
  // before the io_context (queued completions hold sessions whose sockets
  // belong to it), and both before the services and store they reference.
  const ServerOptions options_;
  SystemClock clock_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<AuditCheckpointer> audit_checkpointer_;  // outlives store_
  // Rows each commit changed, for the authentication caches; outlives
  // store_, which publishes to it.
  std::unique_ptr<ChangeFeed> changes_;
  // Told other replicas' commits by the store: outlives it.
  std::unique_ptr<ReplicaChanges> replica_changes_;
  // Whether this process runs the cluster's scheduled work (set by the
  // store): outlives it.
  std::unique_ptr<ClusterLease> lease_;
  // Told by the PostgreSQL change follower; read by /readyz.
  std::unique_ptr<ChangeFollowerHealth> follower_health_;
  std::unique_ptr<Store> store_;
  // Streams committed audit records out (--audit-sink); stopped before the
  // store closes.
  std::unique_ptr<AuditSinkStreamer> audit_sinks_;
  // Periodic archive and prune of old audit records (null: off); stopped
  // before the store closes.
  std::unique_ptr<AuditRetention> audit_retention_;
  Auditor auditor_;
  // Stored counts for /metrics, cached between scrapes.
  StoreCensus census_;
  // Abuse limits: summary audit records, written every
  // audit_summary_period, and the per-source failed-authentication limit.
  AuditSummaryRecorder summaries_;
  AuthFailureThrottle auth_failures_;
  inventory::TeamService teams_;
  // Every accountable decision; the domains below register their kinds.
  approvals::ApprovalEngine approvals_;
  inventory::InventoryService inventory_;
  inventory::ExceptionService exceptions_;
  inventory::AccessService access_;
  inventory::AuditService audit_;
  // Release exposure: the feed OFREP and the stream read, its publisher,
  // the services that change it, and evaluation bookkeeping.
  exposure::ConfigFeed feed_;
  exposure::ExposurePublisher publisher_;
  exposure::FlagService flags_;
  exposure::TenantService tenants_;
  exposure::SegmentService segments_;
  exposure::LimitService limits_;
  // Access decisions (AuthZEN): facts, the decision point, the policies.
  access::FactGatherer access_facts_;
  access::AccessDecisionPoint access_decisions_;
  access::AccessPolicyService access_policies_;
  // Release governance: releases, their stages, tenants' consents; the
  // publisher asks the releases domain for each environment's gates.
  releases::ReleaseService releases_;
  releases::StageController stages_;
  releases::TenantReleases tenant_releases_;
  // Posture and discovery: the findings and their sweep, maturity, access
  // reviews, and scan results against the inventory.
  posture::FindingSweep sweep_;
  posture::FindingService findings_;
  posture::MaturityService maturity_;
  posture::ReviewService reviews_;
  discovery::DriftService drift_;
  discovery::ScanScheduler scan_schedule_;
  exposure::EvaluationRecorder evaluations_;
  // OFREP and the configuration stream: cached authentication, and the open
  // streams (they outlive the io_context's handlers that hold them).
  api::OfrepAuthenticator evaluation_auth_;
  std::unique_ptr<KeyedRateLimiter> evaluation_limiter_;  // null: no limit
  StreamRegistry streams_;
  // OFREP eventStreams URLs: a key derived from the key-encryption key, so
  // every replica accepts the tickets of the others (docs/API.md).
  const api::OfrepEventTicketSigner event_tickets_;
  // Created by Listen() once the issuer URL is known; read by the routes.
  std::unique_ptr<oauth::AuthorizationServer> oauth_;
  std::unique_ptr<oauth::WorkloadAuthenticator> workloads_;  // uses oauth_
  std::unique_ptr<CredentialModule> credentials_;
  // Console sign-in, created by Bootstrap() (it needs the KEK).
  std::unique_ptr<signin::TotpKeySealer> totp_sealer_;
  std::unique_ptr<signin::SignInService> sign_in_;
  std::unique_ptr<signin::UserCredentialService> user_credentials_;
  // Single sign-on; oidc_ stays null while it is off.
  const outbound::OidcClient oidc_client_;
  std::unique_ptr<signin::OidcRelyingParty> oidc_;
  // The pipeline's credentials: API tokens, console sessions, workloads'.
  api::BearerAuthentication bearer_{access_};
  Router router_;
  InFlightRequests in_flight_;
  // Sessions and streams hold its slots: it outlives the io_context.
  ConnectionLimit connections_;
  // The listener's TLS files (null: plain HTTP); outlives the io_context.
  std::unique_ptr<TlsServerContext> tls_;
  net::io_context ioc_;
  // Keeps run() going while the listener is closed and every session waits
  // on a worker (no pending I/O): their completions must still be written.
  net::executor_work_guard<net::io_context::executor_type> io_work_{
      ioc_.get_executor()};
  net::thread_pool workers_;
  RequestPipeline pipeline_;
  net::steady_timer expiry_timer_;
  std::shared_ptr<Listener> listener_;
  net::ip::tcp::endpoint endpoint_;
  // PublicUrl(), fixed in Listen() before the first request is read (the
  // AuthZEN metadata names it).
  std::string public_url_;
  std::vector<std::thread> io_threads_;
  std::atomic<bool> stopped_{false};
};

}  // namespace

Result<std::unique_ptr<ServerApp>> ServerApp::Start(
    const ServerOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(net::ip::tcp::endpoint endpoint,
                          ParseListenAddress(options.listen));
  // Before anything is created: a wrong TLS file fails the start at once.
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<TlsServerContext> tls,
                          LoadListenerTls(options));
  DataDirectory dir(options.data_dir);
  WARDEN_RETURN_IF_ERROR(dir.Prepare());
  // The process's key-encryption key (created on first start; WARDEN_KEK
  // overrides the file): the OAuth server's key custody and the event-ticket
  // key derive from it.
  WARDEN_ASSIGN_OR_RETURN(secrets::KeyEncryptionKey kek,
                          dir.LoadKeyEncryptionKey());
  WARDEN_ASSIGN_OR_RETURN(oauth::OAuthKeyCustody oauth_custody,
                          oauth::OAuthKeyCustody::Create(kek.bytes()));
  api::OfrepEventTicketSigner event_tickets =
      api::OfrepEventTicketSigner::DerivedFrom(kek.bytes());
  WARDEN_ASSIGN_OR_RETURN(AuditKeys audit_keys,
                          LoadOrCreateAuditKeys(dir.path()));
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<AuditCheckpointer> checkpointer,
                          OpenAuditCheckpointer(options, audit_keys));

  auto metrics = std::make_unique<Metrics>();
  auto changes = std::make_unique<ChangeFeed>();
  auto replica_changes = std::make_unique<ReplicaChanges>();
  // Alone on SQLite this process leads; replicas wait for the lock.
  auto lease = std::make_unique<ClusterLease>(options.database_uri.empty());
  auto follower_health = std::make_unique<ChangeFollowerHealth>();
  StoreWiring wiring{metrics.get(), checkpointer.get(),
                     changes.get(), replica_changes.get(),
                     lease.get(),   follower_health.get()};
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<Store> store,
                          OpenServerStore(options, dir, audit_keys, wiring));
  // Before any other write: a log that no longer matches its checkpoint
  // must not get a new one.
  WARDEN_RETURN_IF_ERROR(StartAuditChain(
      *store, audit_keys.chain_key, *checkpointer,
      AuditFilePath(dir.path(), kAuditCheckpointFileName), SystemClock()));

  // Sinks are checked before anything serves: a mistake stops the start.
  AuditSinkStreamerOptions streaming = options.audit_sink_streaming;
  streaming.exclusive = options.database_uri.empty();
  static const SystemClock kSinkClock;
  WARDEN_ASSIGN_OR_RETURN(
      std::unique_ptr<AuditSinkStreamer> audit_sinks,
      OpenAuditSinks(options.audit_sinks, options.audit_sink_secret_files,
                     *store, kSinkClock, std::move(streaming)));

  auto app = std::make_unique<ServerAppImpl>(
      options, std::move(metrics), std::move(checkpointer), std::move(changes),
      std::move(replica_changes), std::move(lease), std::move(follower_health),
      std::move(store), std::move(audit_sinks), std::move(event_tickets));
  app->WireAuditVerification(audit_keys, dir.path());
  WARDEN_RETURN_IF_ERROR(app->StartAuditRetention(audit_keys, dir.path()));
  WARDEN_RETURN_IF_ERROR(app->Bootstrap(dir, endpoint.address().is_loopback()));
  WARDEN_RETURN_IF_ERROR(
      app->Listen(endpoint, std::move(oauth_custody), std::move(tls)));
  return std::unique_ptr<ServerApp>(std::move(app));
}

// Signals are blocked before any thread starts (threads inherit the mask)
// and taken synchronously with sigwait, so no handler runs in a random
// thread and no global flag is needed.
// Each connection is a descriptor: a soft RLIMIT_NOFILE below the
// connection cap (1024 is a common default) would make the cap
// unreachable, so the soft limit is raised toward the hard one.
// kReservedDescriptors covers the store, keys, logs and the listener.
void RaiseDescriptorLimit(size_t max_connections) {
  constexpr rlim_t kReservedDescriptors = 256;
  struct rlimit limit {};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted =
      static_cast<rlim_t>(max_connections) + kReservedDescriptors;
  if (limit.rlim_cur >= wanted) return;
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  const rlim_t now =
      setrlimit(RLIMIT_NOFILE, &limit) == 0 ? limit.rlim_cur : before;
  if (now < wanted) {
    std::fprintf(stderr,
                 "warden serve: open-file limit %llu is below "
                 "--max-connections + %llu; connections beyond it wait in "
                 "the backlog\n",
                 static_cast<unsigned long long>(now),
                 static_cast<unsigned long long>(kReservedDescriptors));
  }
}

// Plain HTTP is for loopback and for a TLS-terminating proxy in front.
void WarnIfPlainHttpOffLoopback(const ServerOptions& options,
                                const std::string& url) {
  if (!options.tls_certificate_file.empty()) return;
  Result<net::ip::tcp::endpoint> at = ParseListenAddress(options.listen);
  if (!at.ok() || at->address().is_loopback()) return;
  std::fprintf(stderr,
               "warden serve: plain HTTP on %s; give --tls-cert and --tls-key "
               "unless a TLS-terminating proxy is in front\n",
               url.c_str());
}

int RunServer(const ServerOptions& options) {
  RaiseDescriptorLimit(options.max_connections);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  Result<std::unique_ptr<ServerApp>> app = ServerApp::Start(options);
  if (!app.ok()) {
    std::fprintf(stderr, "warden serve: %s\n", app.status().ToString().c_str());
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return 1;
  }
  WarnIfPlainHttpOffLoopback(options, (*app)->url());
  std::printf("warden listening on %s\n", (*app)->url().c_str());
  std::printf(
      "admin token: %s\n",
      DataDirectory(options.data_dir).File(kAdminTokenFileName).c_str());
  std::fflush(stdout);

  int received = 0;
  while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
    const Status reloaded = (*app)->ReloadTls();
    std::fprintf(stderr, "warden: SIGHUP: %s\n",
                 reloaded.ok() ? "TLS certificate and key reloaded"
                               : reloaded.ToString().c_str());
  }
  std::fprintf(stderr, "warden: signal %d, stopping\n", received);
  (*app)->Stop();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return 0;
}

}  // namespace warden::server
