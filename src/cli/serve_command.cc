#include "cli/serve_command.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "audit/audit_checkpointer.h"
#include "cli/audit_sink_options.h"
#include "cli/database_uri_option.h"
#include "cli/serve_config_file.h"
#include "server/server_app.h"

namespace warden::cli {
namespace {

// Console single sign-on (docs/OPERATIONS.md, "Single sign-on").
void AddOidcOptions(CLI::App& serve,
                    const std::shared_ptr<server::ServerOptions>& options) {
  signin::OidcOptions& oidc = options->oidc;
  serve.add_option("--oidc-issuer", oidc.issuer,
                   "OpenID provider's issuer URL: turns console single "
                   "sign-on on");
  serve.add_option("--oidc-client-id", oidc.client_id,
                   "Warden's client_id at the provider");
  serve.add_option("--oidc-client-secret-file",
                   options->oidc_client_secret_file,
                   "file holding the client secret (mode 0600)");
  serve.add_option("--oidc-redirect-uri", oidc.redirect_uri,
                   "callback URL registered at the provider (default: this "
                   "server's URL + /v1/session/oidc/callback)");
  serve
      .add_option_function<std::string>(
          "--oidc-scopes",
          [options](const std::string& text) {
            options->oidc.extra_scopes.clear();
            size_t start = 0;
            while (start <= text.size()) {
              const size_t end = text.find_first_of(", ", start);
              std::string scope = text.substr(start, end - start);
              if (!scope.empty()) options->oidc.extra_scopes.push_back(scope);
              if (end == std::string::npos) break;
              start = end + 1;
            }
          },
          "scopes besides openid, comma-separated")
      ->default_str("profile,email");
  options->oidc.extra_scopes = {"profile", "email"};
  serve
      .add_option("--oidc-user-claim", oidc.user_claim,
                  "id_token claim naming the Warden user")
      ->capture_default_str();
  serve.add_option("--oidc-role-claim", oidc.role_claim,
                   "id_token claim (string or array) whose values map to "
                   "roles for just-in-time users (default: none)");
  serve.add_option_function<std::string>(
      "--oidc-role-map",
      [options](const std::string& text) {
        auto map = signin::OidcRoleMap::Parse(text);
        if (!map.ok()) throw CLI::ValidationError(map.status().message());
        options->oidc.role_map = std::move(*map);
      },
      "VALUE=ROLE,...: role of a just-in-time user whose role claim "
      "holds VALUE (first match wins; admin, security, account_manager, "
      "auditor)");
}

// TLS on the listener (docs/OPERATIONS.md, "TLS").
void AddTlsOptions(CLI::App& serve, server::ServerOptions& options) {
  serve
      .add_option("--tls-cert", options.tls_certificate_file,
                  "PEM certificate chain (leaf first): serve HTTPS; "
                  "SIGHUP reloads it")
      ->check(CLI::ExistingFile);
  serve
      .add_option("--tls-key", options.tls_key_file,
                  "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  serve
      .add_option("--tls-client-ca", options.tls_client_ca_file,
                  "PEM CA bundle: clients may present a certificate that "
                  "chains to it (mutual TLS for workloads)")
      ->check(CLI::ExistingFile);
  serve.add_flag("--tls-client-self-signed", options.tls_client_self_signed,
                 "also accept client certificates that chain to no CA; "
                 "they authenticate only OAuth clients registered for "
                 "self_signed_tls_client_auth with that certificate");
}

// --config FILE fills what the command line and the environment left
// unset; then --data-dir must be known.
void ApplyConfigFile(CLI::App& serve, const std::string& path,
                     const server::ServerOptions& options) {
  if (!path.empty()) {
    Result<std::vector<ServeConfigEntry>> entries = ReadServeConfig(path);
    if (!entries.ok()) throw CLI::ValidationError(entries.status().message());
    ApplyServeConfig(serve, *entries, path);
  }
  if (options.data_dir.empty()) {
    throw CLI::RequiredError(
        "--data-dir (or data-dir in --config, or WARDEN_DATA_DIR)");
  }
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<server::ServerOptions>();
  CLI::App* serve = app.add_subcommand("serve", "run the Warden server");
  auto config_file = std::make_shared<std::string>();
  serve->add_option("--config", *config_file,
                    "YAML file of serve options (key: the option's long "
                    "name); the command line and WARDEN_<OPTION> variables "
                    "override it");
  serve->add_option("--data-dir", options->data_dir,
                    "data directory (created on first start; required)");
  AddDatabaseUriOption(
      serve, &options->database_uri,
      "shared PostgreSQL database for several replicas "
      "(postgresql://USER@HOST:PORT/DB; default: SQLite in --data-dir)");
  serve->add_option_function<std::string>(
      "--public-url",
      [options](const std::string& url) {
        if (!url.starts_with("http://") && !url.starts_with("https://")) {
          throw CLI::ValidationError("--public-url",
                                     "expects an http(s):// URL");
        }
        std::string trimmed = url;
        while (trimmed.ends_with('/')) trimmed.pop_back();
        options->public_url = trimmed;
      },
      "URL clients reach Warden at (the load balancer in front of "
      "replicas): the OAuth issuer; default: the listening URL");
  serve
      ->add_option("--listen", options->listen,
                   "HOST:PORT to listen on; port 0 picks a free one")
      ->capture_default_str();
  serve
      ->add_option("--io-threads", options->io_threads,
                   "network threads (0: one per core)")
      ->check(CLI::Range(0, 256));
  serve
      ->add_option("--worker-threads", options->worker_threads,
                   "threads for blocking service calls")
      ->check(CLI::Range(1, 1024));
  serve
      ->add_option("--commit-batch", options->commit_batch_units,
                   "most writes group-committed per fsync (1: no grouping)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  serve
      ->add_option("--oauth-client-rate", options->oauth_client_rate,
                   "token requests per second per OAuth client")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 1e6));
  serve
      ->add_option("--ofrep-token-rate", options->ofrep_token_rate,
                   "OFREP evaluations per second per API token, burst twice "
                   "that (0: unlimited); over it: 429 with Retry-After")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  serve
      ->add_option("--auth-failure-rate", options->auth_failure_rate,
                   "failed authentications per second per source address, "
                   "burst ten times that; over it: 429 with Retry-After")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1e6));
  serve
      ->add_option_function<int64_t>(
          "--session-idle-timeout",
          [options](int64_t seconds) {
            options->session_idle_timeout = std::chrono::seconds(seconds);
          },
          "seconds without a request after which a console session ends")
      ->default_str("900")
      ->check(CLI::Range(int64_t{60}, int64_t{86'400}));
  serve
      ->add_option_function<int64_t>(
          "--session-max-age",
          [options](int64_t seconds) {
            options->session_max_age = std::chrono::seconds(seconds);
          },
          "seconds after sign-in at which a console session ends")
      ->default_str("43200")
      ->check(CLI::Range(int64_t{300}, int64_t{30 * 86'400}));
  serve
      ->add_option("--max-connections", options->max_connections,
                   "open connections (requests and streams); over it: 503 "
                   "with Retry-After")
      ->capture_default_str()
      ->check(CLI::Range(16, 1'000'000));
  serve
      ->add_option("--max-streams", options->max_streams,
                   "open streams (/v1/stream, /ofrep/v1/events) per server")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  serve
      ->add_option("--max-streams-per-token", options->max_streams_per_token,
                   "open streams per API token")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  serve
      ->add_option_function<std::string>(
          "--token-signing-alg",
          [options](const std::string& name) {
            options->token_signing_algorithm =
                name == "ES256" ? tokens::JwsAlgorithm::kES256
                                : tokens::JwsAlgorithm::kEdDSA;
          },
          "algorithm of new OAuth signing keys; existing keys keep theirs "
          "until rotation")
      ->check(CLI::IsMember({"EdDSA", "ES256"}))
      ->default_str("EdDSA");
  serve->add_option("--audit-witness-file", options->audit_witness_file,
                    "append every signed audit checkpoint to FILE as a JSON "
                    "line (put it on another mount)");
  serve->add_flag("--audit-witness-stdout", options->audit_witness_stdout,
                  "also write every signed audit checkpoint to stdout");
  serve
      ->add_option("--audit-checkpoint-max-lag",
                   options->audit_checkpoint_max_lag,
                   "batches the signed audit checkpoint may lag the database "
                   "by; commits wait to keep it (1: only the last batch, "
                   "slowest; 0: never wait)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMaxCheckpointMaxLagBatches));
  serve
      ->add_option("--audit-retention-days", options->audit_retention_days,
                   "archive and prune audit records older than this many "
                   "days, hourly (0: keep the whole log)")
      ->capture_default_str()
      ->check(CLI::Range(0, 3650));
  serve->add_option("--audit-archive-dir", options->audit_archive_dir,
                    "where --audit-retention-days writes its signed archives "
                    "(default DIR/audit-archive)");
  // The earlier spelling of --audit-checkpoint-max-lag 0, kept for scripts.
  serve->add_flag_callback(
      "--audit-checkpoint-coalesced",
      [options] { options->audit_checkpoint_max_lag = 0; },
      "same as --audit-checkpoint-max-lag 0");
  AddTlsOptions(*serve, *options);
  AddOidcOptions(*serve, options);
  AddAuditSinkOptions(*serve, options);
  AddServeEnvironmentNames(*serve);
  serve->callback([&context, serve, options, config_file] {
    ApplyConfigFile(*serve, *config_file, *options);
    context.RunForExitCode([&options] { return server::RunServer(*options); });
  });
}

}  // namespace warden::cli
