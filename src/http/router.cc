#include "http/router.h"

#include <utility>

#include "service/would_block.h"

namespace warden {

// One status for "run me where I may block", from handlers and services
// alike (service/would_block.h).
Status NeedsWorker() { return WouldBlock(); }

bool IsNeedsWorker(const Status& status) { return IsWouldBlock(status); }
namespace {

bool IsCapture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    segments.emplace_back(path.substr(pos, end - pos));
    pos = end;
  }
  return segments;
}

void Router::Add(Route route) {
  compiled_.push_back({SplitPath(route.pattern)});
  routes_.push_back(std::move(route));
}

bool Router::MatchPath(
    const CompiledRoute& compiled, const std::vector<std::string>& segments,
    std::map<std::string, std::string, std::less<>>* params) const {
  if (compiled.segments.size() != segments.size()) return false;
  std::map<std::string, std::string, std::less<>> captured;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = compiled.segments[i];
    if (IsCapture(want)) {
      if (segments[i].empty()) return false;
      captured[want.substr(1, want.size() - 2)] = segments[i];
    } else if (want != segments[i]) {
      return false;
    }
  }
  *params = std::move(captured);
  return true;
}

RouteMatch Router::Match(std::string_view method,
                         const std::vector<std::string>& segments) const {
  RouteMatch match;
  for (size_t i = 0; i < routes_.size(); ++i) {
    std::map<std::string, std::string, std::less<>> params;
    if (!MatchPath(compiled_[i], segments, &params)) continue;
    if (routes_[i].method == method) {
      match.kind = RouteMatch::Kind::kFound;
      match.route = &routes_[i];
      match.params = std::move(params);
      return match;
    }
    if (match.allow.find(routes_[i].method) == std::string::npos) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += routes_[i].method;
    }
    match.kind = RouteMatch::Kind::kMethodNotAllowed;
  }
  return match;
}

}  // namespace warden
