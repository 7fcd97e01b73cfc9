#include "server/server_metrics.h"

#include <chrono>
#include <string>

#include "core/vocabulary.h"
#include "http/process_metrics.h"

// Set by CMake on this file only (src/server/CMakeLists.txt), so a new
// revision recompiles one file.
#ifndef WARDEN_VERSION
#define WARDEN_VERSION "unknown"
#endif
#ifndef WARDEN_REVISION
#define WARDEN_REVISION ""
#endif

namespace warden::server {
namespace {

double SecondsSince(Timestamp then, const Clock& clock) {
  return std::chrono::duration<double>(clock.Now() - then).count();
}

void CollectBuildInfo(MetricsWriter& out) {
  out.Family("warden_build_info", "gauge",
             "Always 1; the labels name the running build.");
  out.Sample("warden_build_info",
             {{"version", BuildVersion()}, {"revision", BuildRevision()}}, 1);
}

// Each environment's published configuration on this process.
void CollectConfig(const ServerMetricSources& sources, MetricsWriter& out) {
  out.Family("warden_config_revision", "gauge",
             "Revision of the published configuration (restarts at 1 with "
             "the process).");
  for (Environment env : exposure::kAllEnvironments) {
    out.Sample("warden_config_revision", {{"environment", Name(env)}},
               static_cast<double>(sources.feed.Current(env)->revision));
  }
  out.Family("warden_config_age_seconds", "gauge",
             "Time since the configuration was last published (a change, "
             "or the start).");
  for (Environment env : exposure::kAllEnvironments) {
    out.Sample(
        "warden_config_age_seconds", {{"environment", Name(env)}},
        SecondsSince(sources.publisher.State(env).published_at, sources.clock));
  }
  out.Family("warden_config_in_sync", "gauge",
             "1 when the published configuration holds what the store held "
             "at its last publish; 0 after a failed publish.");
  for (Environment env : exposure::kAllEnvironments) {
    out.Sample("warden_config_in_sync", {{"environment", Name(env)}},
               sources.publisher.State(env).in_sync ? 1 : 0);
  }
}

// Counters of the OAuth server.
void CollectOAuth(const ServerMetricSources& sources, MetricsWriter& out) {
  oauth::AuthorizationServer* server = sources.oauth.get();
  if (server == nullptr) return;
  const oauth::IssuedTokenCounts issued = server->issuance().issued();
  out.Family("warden_oauth_tokens_issued_total", "counter",
             "Access tokens handed out, by grant type.");
  out.Sample("warden_oauth_tokens_issued_total",
             {{"grant_type", "client_credentials"}},
             static_cast<double>(issued.client_credentials));
  out.Sample("warden_oauth_tokens_issued_total",
             {{"grant_type", "token_exchange"}},
             static_cast<double>(issued.token_exchange));
  const oauth::TokenRevocation::IntrospectionCounts introspected =
      server->revocation().introspected();
  out.Family("warden_oauth_introspections_total", "counter",
             "Token introspections (RFC 7662) answered, by answer.");
  out.Sample("warden_oauth_introspections_total", {{"active", "true"}},
             static_cast<double>(introspected.active));
  out.Sample("warden_oauth_introspections_total", {{"active", "false"}},
             static_cast<double>(introspected.inactive));
}

}  // namespace

PublicRouteCredentials PublicRouteCredentialKinds() {
  namespace kind = credential_kind;
  return {{"/oauth/token", kind::kOAuthClient},
          {"/oauth/introspect", kind::kOAuthClient},
          {"/oauth/revoke", kind::kOAuthClient},
          {"/ofrep/v1/evaluate/flags", kind::kSdkToken},
          {"/ofrep/v1/evaluate/flags/{key}", kind::kSdkToken},
          {"/v1/stream", kind::kSdkToken},
          {"/ofrep/v1/events", kind::kStreamTicket},
          {"/v1/session", kind::kPassword},
          {"/v1/session/oidc/callback", kind::kOidc}};
}

std::string_view BuildVersion() { return WARDEN_VERSION; }
std::string_view BuildRevision() { return WARDEN_REVISION; }

void AddServerCollectors(Metrics& metrics, const ServerMetricSources& sources) {
  metrics.AddCollector(&CollectBuildInfo);
  metrics.AddCollector([process = ProcessMetrics()](MetricsWriter& out) {
    process.Collect(out);
  });
  metrics.AddCollector(
      [&census = sources.census](MetricsWriter& out) { census.Collect(out); });
  metrics.AddCollector([&streams = sources.streams](MetricsWriter& out) {
    out.Family("warden_stream_subscribers", "gauge",
               "Open server-sent event streams (configuration streams, "
               "OFREP event streams, console events).");
    out.Sample("warden_stream_subscribers",
               static_cast<double>(streams.size()));
  });
  metrics.AddCollector(
      [sources](MetricsWriter& out) { CollectConfig(sources, out); });
  metrics.AddCollector(
      [sources](MetricsWriter& out) { CollectOAuth(sources, out); });
}

void AddAuditSinkCollector(Metrics& metrics, const AuditSinkStreamer& sinks) {
  metrics.AddCollector([&sinks](MetricsWriter& out) {
    const std::vector<AuditSinkStatus> statuses = sinks.Statuses();
    if (statuses.empty()) return;
    auto family = [&](const char* name, const char* type, const char* help,
                      auto value) {
      out.Family(name, type, help);
      for (const AuditSinkStatus& status : statuses) {
        out.Sample(name, {{"sink", status.name}},
                   static_cast<double>(value(status)));
      }
    };
    family("warden_audit_sink_lag_records", "gauge",
           "Committed audit records not yet delivered to the sink.",
           [](const AuditSinkStatus& s) { return s.lag(); });
    family("warden_audit_sink_delivered_records_total", "counter",
           "Audit records delivered to the sink by this process.",
           [](const AuditSinkStatus& s) { return s.delivered_records; });
    family("warden_audit_sink_failed_deliveries_total", "counter",
           "Failed delivery attempts to the sink (each is retried).",
           [](const AuditSinkStatus& s) { return s.failed_deliveries; });
    family("warden_audit_sink_lease_held", "gauge",
           "1 while this process delivers the sink (its lease).",
           [](const AuditSinkStatus& s) { return s.lease_held ? 1 : 0; });
  });
}

}  // namespace warden::server
