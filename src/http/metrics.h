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
// and whatever the sources added with AddSource() append (the audit sinks'
// lag and counters, kept by audit/audit_sink_streamer.h).
//
// `route` is the route pattern ("/v1/identities/{id}") or "unmatched", never
// the raw path, so label cardinality stays bounded by the route table.
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

class Metrics final : public StoreObserver {
 public:
  Metrics();

  void OnRequest(const std::string& route, const std::string& method,
                 int status, std::chrono::microseconds latency);
  void OnCommit(std::chrono::microseconds latency, int units) override;
  void OnRead(std::chrono::microseconds latency) override;
  // An exposure limit took effect `elapsed` after its call began (set,
  // tied tokens revoked, configuration republished). `scope` is one of the
  // limit scope names (a closed set, so labels stay bounded).
  void OnLimitSet(std::string_view scope, std::chrono::microseconds elapsed);

  // Appends exposition text (whole metric families) to every Render, for
  // metrics another module keeps. Called outside this object's lock; must
  // be thread-safe. REQUIRES: `source` outlives this object's renders.
  void AddSource(std::function<void(std::string&)> source);

  // The whole exposition text.
  std::string Render() const;

 private:
  // The families this object keeps.
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
  std::vector<std::function<void(std::string&)>> sources_
      WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden

#endif  // WARDEN_HTTP_METRICS_H_
