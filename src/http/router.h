// Maps method + path pattern to a handler.
//
// Patterns are literal segments and "{name}" captures, e.g.
// "/v1/identities/{id}/suspend". A capture matches exactly one non-empty
// segment (percent-decoded). Lookup distinguishes "no such path" (404) from
// "path exists, method does not" (405, with the methods to list in Allow).
//
// Thread-safety: Add() during setup only; Match() is const and may be called
// from any thread afterwards.
#ifndef WARDEN_HTTP_ROUTER_H_
#define WARDEN_HTTP_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/api_exchange.h"

namespace warden {

// A handler reads the already authenticated request and returns a response
// or the Status to map to problem+json. Handlers may block (service calls).
using RouteHandler = std::function<Result<ApiResponse>(const ApiRequest&)>;

// The answer of an asynchronous handler. Call it exactly once, from any
// thread (e.g. a store callback); later calls are ignored. It must stay
// cheap: it maps the result, records metrics and posts the response to the
// connection's executor. Dropping every copy unanswered answers 500.
using RouteResponder = std::function<void(Result<ApiResponse>)>;
// Runs on the worker pool after authentication, like a blocking handler,
// but may return before the answer is known: it hands `respond` to
// whatever finishes the request (RouteCost::kAsync). The request stays
// valid until `respond` has been called (or every copy of it dropped).
using AsyncRouteHandler =
    std::function<void(const ApiRequest&, RouteResponder respond)>;

enum class RouteAccess {
  kPublic,         // no authentication (health, readiness, metrics)
  kAuthenticated,  // bearer token required
};

// Whether a workload's own OAuth access token (RFC 9068, issued by Warden)
// may call the route. Deny by default: a workload token on any route that
// does not opt in is answered 403. On an authenticated route that accepts
// one, the handler sees caller.principal.workload set; on a public route
// that accepts one, a bearer access token is verified when present (401 if
// invalid) and the handler runs either way.
enum class RouteWorkload {
  kRefused,
  kAccepted,
};

enum class RouteCost {
  kInline,  // cheap and non-blocking: answered on the I/O thread
  // Answered on the I/O thread when it can be without blocking (a cached
  // credential); a handler that would have to block (ApiRequest::may_block
  // false) returns NeedsWorker() instead, and the pipeline runs it again,
  // from the start, on the worker pool (may_block true). So a cache miss,
  // which reads the store and writes an audit record, never holds the
  // I/O thread and the connections it serves.
  kInlineFirst,
  kBlocking,  // runs on the worker pool
  // Starts on the worker pool (async_handler) and completes from any
  // thread: no worker waits while, e.g., its audit record is committed.
  kAsync,
  // kAsync that starts on the I/O thread (may_block false): a handler that
  // would have to block answers NeedsWorker() through its responder before
  // anything else, and the request starts again, from the beginning, on the
  // worker pool (may_block true). A public route only: authenticating a
  // bearer credential may block.
  kAsyncInlineFirst,
};

// The answer of a kInlineFirst handler that must block: "run me again on
// the worker pool". Never leaves the pipeline (IsNeedsWorker); a handler
// returning it where it may block gets an ordinary 503.
Status NeedsWorker();
bool IsNeedsWorker(const Status& status);

struct Route {
  std::string method;
  std::string pattern;  // also the "route" label of metrics
  RouteAccess access = RouteAccess::kAuthenticated;
  RouteCost cost = RouteCost::kBlocking;
  RouteHandler handler;
  RouteWorkload workload = RouteWorkload::kRefused;
  AsyncRouteHandler async_handler = nullptr;  // kAsync* only (then
                                              // `handler` is unused)
};

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  const Route* route = nullptr;                            // kFound
  std::map<std::string, std::string, std::less<>> params;  // kFound
  std::string allow;  // kMethodNotAllowed: "GET, POST"
};

class Router {
 public:
  void Add(Route route);

  // `segments`: the decoded path segments of the request ("/v1/teams/a" ->
  // {"v1", "teams", "a"}).
  RouteMatch Match(std::string_view method,
                   const std::vector<std::string>& segments) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct CompiledRoute {
    std::vector<std::string> segments;  // "{name}" for captures
  };
  bool MatchPath(const CompiledRoute& compiled,
                 const std::vector<std::string>& segments,
                 std::map<std::string, std::string, std::less<>>* params) const;

  std::vector<Route> routes_;
  std::vector<CompiledRoute> compiled_;  // parallel to routes_
};

// Splits a pattern or plain path into segments ("/a/b" -> {"a", "b"}).
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace warden

#endif  // WARDEN_HTTP_ROUTER_H_
