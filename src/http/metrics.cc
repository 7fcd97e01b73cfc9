// Prometheus text exposition format 0.0.4.
#include "http/metrics.h"

#include <fmt/format.h>

namespace warden {
namespace {

// Latency buckets from 100us (a cached read) to 10s (a stalled fsync).
const std::vector<double>& LatencyBounds() {
  static const std::vector<double> kBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return kBounds;
}

const std::vector<double>& UnitBounds() {
  static const std::vector<double> kBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  return kBounds;
}

double Seconds(std::chrono::microseconds latency) {
  return static_cast<double>(latency.count()) / 1e6;
}

// Label values are route patterns and method names we chose, but escape
// anyway so the format can never be broken by one.
std::string EscapeLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  ++counts_[i];
  sum_ += value;
  ++count_;
}

void Histogram::Render(const std::string& name, const std::string& labels,
                       std::string* out) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i];
    *out += fmt::format("{}_bucket{{{}le=\"{}\"}} {}\n", name, labels,
                        bounds_[i], cumulative);
  }
  *out += fmt::format("{}_bucket{{{}le=\"+Inf\"}} {}\n", name, labels, count_);
  std::string bare = labels.empty()
                         ? std::string()
                         : "{" + labels.substr(0, labels.size() - 1) + "}";
  *out += fmt::format("{}_sum{} {}\n", name, bare, sum_);
  *out += fmt::format("{}_count{} {}\n", name, bare, count_);
}

Metrics::Metrics()
    : commit_duration_(LatencyBounds()),
      commit_units_(UnitBounds()),
      read_duration_(LatencyBounds()) {}

void Metrics::OnRequest(const std::string& route, const std::string& method,
                        int status, std::chrono::microseconds latency) {
  MutexLock lock(mu_);
  auto counter = requests_.find(std::forward_as_tuple(route, method, status));
  if (counter == requests_.end()) {
    counter =
        requests_.emplace(std::make_tuple(route, method, status), 0).first;
  }
  ++counter->second;
  auto histogram = request_durations_.find(route);
  if (histogram == request_durations_.end()) {
    histogram = request_durations_.try_emplace(route, LatencyBounds()).first;
  }
  histogram->second.Observe(Seconds(latency));
}

void Metrics::OnCommit(std::chrono::microseconds latency, int units) {
  MutexLock lock(mu_);
  commit_duration_.Observe(Seconds(latency));
  commit_units_.Observe(units);
}

void Metrics::OnRead(std::chrono::microseconds latency) {
  MutexLock lock(mu_);
  read_duration_.Observe(Seconds(latency));
}

void Metrics::OnLimitSet(std::string_view scope,
                         std::chrono::microseconds elapsed) {
  MutexLock lock(mu_);
  auto histogram = time_to_limit_.find(scope);
  if (histogram == time_to_limit_.end()) {
    histogram =
        time_to_limit_.try_emplace(std::string(scope), LatencyBounds()).first;
  }
  histogram->second.Observe(Seconds(elapsed));
}

void Metrics::AddSource(std::function<void(std::string&)> source) {
  MutexLock lock(mu_);
  sources_.push_back(std::move(source));
}

std::string Metrics::Render() const {
  std::string out = RenderOwn();
  std::vector<std::function<void(std::string&)>> sources;
  {
    MutexLock lock(mu_);
    sources = sources_;
  }
  for (const auto& source : sources) source(out);
  return out;
}

std::string Metrics::RenderOwn() const {
  MutexLock lock(mu_);
  std::string out;
  out += "# HELP warden_http_requests_total HTTP requests answered.\n";
  out += "# TYPE warden_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format(
        "warden_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}}"
        " {}\n",
        EscapeLabel(route), EscapeLabel(method), status, count);
  }
  out += "# HELP warden_http_request_duration_seconds Time to answer.\n";
  out += "# TYPE warden_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : request_durations_) {
    histogram.Render("warden_http_request_duration_seconds",
                     "route=\"" + EscapeLabel(route) + "\",", &out);
  }
  out += "# HELP warden_store_commit_duration_seconds Group commit latency.\n";
  out += "# TYPE warden_store_commit_duration_seconds histogram\n";
  commit_duration_.Render("warden_store_commit_duration_seconds", "", &out);
  out += "# HELP warden_store_commit_units Units of work per commit.\n";
  out += "# TYPE warden_store_commit_units histogram\n";
  commit_units_.Render("warden_store_commit_units", "", &out);
  out += "# HELP warden_store_read_duration_seconds Read snapshot latency.\n";
  out += "# TYPE warden_store_read_duration_seconds histogram\n";
  read_duration_.Render("warden_store_read_duration_seconds", "", &out);
  out +=
      "# HELP warden_limit_time_to_limit_seconds From an exposure limit's "
      "call to its effect (set, tokens revoked, republished).\n";
  out += "# TYPE warden_limit_time_to_limit_seconds histogram\n";
  for (const auto& [scope, histogram] : time_to_limit_) {
    histogram.Render("warden_limit_time_to_limit_seconds",
                     "scope=\"" + EscapeLabel(scope) + "\",", &out);
  }
  return out;
}

}  // namespace warden
