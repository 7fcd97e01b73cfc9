// The collectors /metrics reads at scrape time (http/metrics.h), beyond the
// transport's own request and store histograms:
//
//   warden_build_info{version,revision}                  gauge  1
//   process_*                       (http/process_metrics.h)
//   warden_identities_by_status{status}                  gauge  (cached:
//   warden_identities_by_risk_tier{risk_tier}            gauge  store_census.h)
//   warden_exposure_limits_active{scope}                 gauge
//   warden_census_age_seconds                            gauge
//   warden_stream_subscribers                            gauge
//   warden_config_revision{environment}                  gauge
//   warden_config_age_seconds{environment}               gauge
//   warden_config_in_sync{environment}                   gauge  1 or 0
//   warden_oauth_tokens_issued_total{grant_type}         counter
//   warden_oauth_introspections_total{active}            counter
//   and, through AddAuditSinkCollector:
//   warden_audit_sink_lag_records{sink}                  gauge
//   warden_audit_sink_delivered_records_total{sink}      counter
//   warden_audit_sink_failed_deliveries_total{sink}      counter
//   warden_audit_sink_lease_held{sink}                   gauge
//
// Gauges of stored state come from the store (the same on every replica);
// counters and in-memory gauges are this process's (Prometheus sums them
// over replicas). docs/OPERATIONS.md describes each. Another part of the
// process adds its own families the same way: Metrics::AddCollector with a
// lambda over what it owns.
#ifndef WARDEN_SERVER_SERVER_METRICS_H_
#define WARDEN_SERVER_SERVER_METRICS_H_

#include <memory>

#include "audit/audit_sink_streamer.h"
#include "core/clock.h"
#include "exposure/config_feed.h"
#include "exposure/exposure_publisher.h"
#include "http/metrics.h"
#include "http/request_pipeline.h"
#include "http/stream_registry.h"
#include "oauth/authorization_server.h"
#include "server/store_census.h"

namespace warden::server {

// What the collectors read; borrowed, and must outlive the Metrics they are
// added to (ServerApp stops serving before destroying any of them).
struct ServerMetricSources {
  StoreCensus& census;
  const StreamRegistry& streams;
  const exposure::ConfigFeed& feed;
  const exposure::ExposurePublisher& publisher;
  // Null until the OAuth server has started (its families are absent).
  const std::unique_ptr<oauth::AuthorizationServer>& oauth;
  const Clock& clock;
};

// What the 401 answers of each public route that checks a credential of
// its own count as in warden_authentication_failures_total (the pipeline
// names the bearer credentials of authenticated routes itself). A public
// route missing here counts as "other".
PublicRouteCredentials PublicRouteCredentialKinds();

// The version of this build (CMake's project version) and the source
// revision it was configured from ("" when unknown).
std::string_view BuildVersion();
std::string_view BuildRevision();

// Adds every collector above but the audit sinks' to `metrics`, in the
// order listed.
void AddServerCollectors(Metrics& metrics, const ServerMetricSources& sources);

// Adds the audit sinks' families (audit/audit_sink_streamer.h); nothing
// when no sink is configured. `sinks` must outlive `metrics`' renders.
void AddAuditSinkCollector(Metrics& metrics, const AuditSinkStreamer& sinks);

}  // namespace warden::server

#endif  // WARDEN_SERVER_SERVER_METRICS_H_
