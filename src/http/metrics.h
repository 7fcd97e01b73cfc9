// Prometheus metrics of one server, rendered in the text exposition format
// (version 0.0.4). No globals: the ServerApp owns one Metrics and passes it
// by reference; it doubles as the store's StoreObserver.
//
//   warden_http_requests_total{route,method,status}        counter
//   warden_http_request_duration_seconds{route}            histogram
//   warden_store_commit_duration_seconds                   histogram
//   warden_store_commit_units                              histogram
//   warden_store_read_duration_seconds                     histogram
//   warden_limit_time_to_limit_seconds{scope}              histogram
//   warden_authentication_failures_total{credential,reason} counter
//
// `route` is the route pattern ("/v1/identities/{id}") or "unmatched", never
// the raw path, so label cardinality stays bounded by the route table.
//
// Everything else is read at scrape time from its owner through collectors
// (AddCollector): the process_* metrics (http/process_metrics.h), the build
// and the business gauges and counters (server/server_metrics.h), and any
// later source (an audit sink's lag) without a change here. A collector
// writes whole families with a MetricsWriter; docs/OPERATIONS.md lists
// every metric.
//
// Thread-safe: every method may be called from any thread.
#ifndef WARDEN_HTTP_METRICS_H_
#define WARDEN_HTTP_METRICS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "store/store.h"

namespace warden {

// A cumulative histogram over fixed upper bounds. Not thread-safe by itself.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  // Appends the _bucket/_sum/_count lines; `labels` is "" or `k="v",`.
  void Render(const std::string& name, const std::string& labels,
              std::string* out) const;

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bucket, non-cumulative
  double sum_ = 0;
  uint64_t count_ = 0;
};

// Label pairs of one sample, e.g. {{"status", "active"}}. Names must be
// valid Prometheus label names (the caller's constants); values are escaped
// by the writer.
using MetricLabels = std::vector<std::pair<std::string_view, std::string_view>>;

// Appends metric families in the text exposition format 0.0.4 to a string:
// what a collector is handed. Not thread-safe (one scrape at a time).
class MetricsWriter {
 public:
  explicit MetricsWriter(std::string* out) : out_(*out) {}

  // Starts a family: its HELP and TYPE lines. `type` is "counter", "gauge"
  // or "untyped"; a counter's name ends in "_total" (convention, not
  // checked). Each family is begun once per scrape, before its samples.
  void Family(std::string_view name, std::string_view type,
              std::string_view help);
  // One sample of the family begun last. Non-finite values are written as
  // NaN, +Inf and -Inf, as the format spells them.
  void Sample(std::string_view name, const MetricLabels& labels, double value);
  void Sample(std::string_view name, double value) { Sample(name, {}, value); }

 private:
  std::string& out_;
};

// Writes the families of one source at scrape time, on the scraping thread
// (a worker: /metrics may block briefly). Scrapes may run concurrently, so
// a collector must be thread-safe; it reads what its owner keeps (atomics,
// snapshots, a cache) and takes no longer than a cached store read.
using MetricsCollector = std::function<void(MetricsWriter&)>;

class Metrics final : public StoreObserver {
 public:
  Metrics();

  // Adds a source of families to every later Render(), after the built-in
  // ones, in the order added. Whatever `collector` references must outlive
  // this object's last Render() (ServerApp stops serving first).
  void AddCollector(MetricsCollector collector);

  void OnRequest(const std::string& route, const std::string& method,
                 int status, std::chrono::microseconds latency);
  void OnCommit(std::chrono::microseconds latency, int units) override;
  void OnRead(std::chrono::microseconds latency) override;
  // An exposure limit took effect `elapsed` after its call began (set,
  // tied tokens revoked, configuration republished). `scope` is one of the
  // limit scope names (a closed set, so labels stay bounded).
  void OnLimitSet(std::string_view scope, std::chrono::microseconds elapsed);
  // A request was refused for its credential (HTTP 401). `credential` is
  // the kind of credential the route checks and `reason` why it failed,
  // both from closed sets (http/request_pipeline.h), so labels stay
  // bounded.
  void OnAuthenticationFailure(std::string_view credential,
                               std::string_view reason);

  // The whole exposition text: the built-in families, then each
  // collector's.
  std::string Render() const;

 private:
  std::string RenderOwn() const;

  mutable Mutex mu_;
  // Transparent comparators: a request looks its counters up without
  // building key strings (no allocation once a series exists).
  std::map<std::tuple<std::string, std::string, int>, uint64_t, std::less<>>
      requests_ WARDEN_GUARDED_BY(mu_);
  std::map<std::string, Histogram, std::less<>> request_durations_
      WARDEN_GUARDED_BY(mu_);
  Histogram commit_duration_ WARDEN_GUARDED_BY(mu_);
  Histogram commit_units_ WARDEN_GUARDED_BY(mu_);
  Histogram read_duration_ WARDEN_GUARDED_BY(mu_);
  std::map<std::string, Histogram, std::less<>> time_to_limit_
      WARDEN_GUARDED_BY(mu_);
  std::map<std::tuple<std::string, std::string>, uint64_t, std::less<>>
      authentication_failures_ WARDEN_GUARDED_BY(mu_);
  // Own mutex: collectors run outside mu_ (they may take their owners'
  // locks, which must never nest inside the request path's).
  mutable Mutex collectors_mu_;
  std::vector<MetricsCollector> collectors_ WARDEN_GUARDED_BY(collectors_mu_);
};

}  // namespace warden

#endif  // WARDEN_HTTP_METRICS_H_
