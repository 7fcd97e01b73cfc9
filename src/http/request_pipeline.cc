#include "http/request_pipeline.h"

#include <boost/asio/post.hpp>
#include <boost/url/parse.hpp>
#include <cstdio>
#include <exception>
#include <future>

#include "core/client_certificate.h"
#include "core/id.h"
#include "http/problem.h"

namespace warden {

// The outcome of routing: either a matched route, or an answer already.
struct RequestPipeline::Routed {
  const Route* route = nullptr;
  std::optional<ApiResponse> answer;  // 400/404/405 without running anything
  std::string label = "unmatched";    // metrics "route" label
};

namespace {

// Splits the origin-form target into decoded path segments and query pairs.
Status ParseTarget(std::string_view target, std::vector<std::string>* segments,
                   std::vector<std::pair<std::string, std::string>>* query) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) {
    return InvalidArgument("malformed request target", "bad-request-target");
  }
  std::string path = url->path();  // percent-decoded
  *segments = SplitPath(path);
  for (auto param : url->params()) {
    query->emplace_back(param.key, param.has_value ? param.value : "");
  }
  return Status::Ok();
}

// An exception escaping a handler is a bug: logged with the request id;
// the client gets an opaque 500.
void LogUncaught(const Route& route, const ApiRequest& request,
                 const char* what) {
  std::fprintf(stderr, "request %s %s %s: uncaught exception: %s\n",
               request.request_id.c_str(), request.method.c_str(),
               route.pattern.c_str(), what);
}

// Authentication answers 401, 403 for a console change without its CSRF
// token, 429 when throttled, or 503 when the store could not be asked.
Status AsAuthenticationError(const Status& status) {
  if (status.code() == StatusCode::kUnavailable ||
      status.code() == StatusCode::kUnauthenticated ||
      status.code() == StatusCode::kPermissionDenied ||
      status.code() == StatusCode::kResourceExhausted) {
    return status;
  }
  return Unauthenticated(status.message());
}

// RFC 9110 section 9.2.1: everything but the safe methods may change
// state, and so needs a console session's CSRF token.
bool ChangesState(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// The problem's "instance": the request's path, without the query. Built
// only on the way to a problem answer (a successful request pays nothing).
std::string InstanceOf(const ApiRequest& request) {
  return request.target.substr(0, request.target.find('?'));
}

// What a 401 from `route` counts as: the bearer credential it checked, or
// what `public_routes` names for a public route (credential_kind), and why
// it failed ("missing" when a route that needs a bearer credential got
// none, else "rejected").
std::pair<std::string_view, std::string_view> FailedCredential(
    const Route& route, const ApiRequest& request,
    const BearerAuthenticator& authenticator,
    const PublicRouteCredentials& public_routes) {
  const std::string_view token = BearerCredential(request.authorization);
  if (!token.empty() && authenticator.IsWorkloadToken(token)) {
    return {credential_kind::kWorkloadToken, "rejected"};
  }
  if (route.access == RouteAccess::kPublic) {
    auto named = public_routes.find(route.pattern);
    return {
        named != public_routes.end() ? named->second : credential_kind::kOther,
        "rejected"};
  }
  if (!token.empty()) return {credential_kind::kApiToken, "rejected"};
  if (!request.cookie.empty()) {
    return {credential_kind::kConsoleSession, "rejected"};
  }
  return {credential_kind::kApiToken, "missing"};
}

void SetCaller(Principal principal, ApiRequest& request) {
  request.caller.principal = std::move(principal);
  request.caller.request_id = request.request_id;
  request.caller.remote = request.remote;
}

}  // namespace

// One request on an asynchronous route: owns the request until it is
// answered. The first Answer() wins; the destructor answers 500 when every
// responder was dropped unanswered (a handler bug must not hang the
// connection or the graceful stop, which waits for the answer).
class RequestPipeline::AsyncCall {
 public:
  AsyncCall(RequestPipeline& pipeline, Routed routed, ApiRequest request,
            Completion done)
      : pipeline_(pipeline),
        routed_(std::move(routed)),
        request_(std::move(request)),
        done_(std::move(done)),
        started_(pipeline.clock_.Now()) {}
  ~AsyncCall() {
    if (!answered_.load()) {
      Answer(Internal("asynchronous handler dropped its completion"));
    }
  }
  AsyncCall(const AsyncCall&) = delete;
  AsyncCall& operator=(const AsyncCall&) = delete;

  void Answer(Result<ApiResponse> result) {
    if (!request_.may_block && !result.ok() && IsNeedsWorker(result.status())) {
      return pipeline_.StartOnWorker(self_.lock());
    }
    if (answered_.exchange(true)) return;
    ApiResponse response;
    try {
      response =
          pipeline_.ToResponse(*routed_.route, request_, std::move(result));
      pipeline_.Finish(routed_, request_, response, started_);
    } catch (const std::exception&) {
      // Answer() may run on the store's writer thread, which swallows
      // exceptions: the connection (and a graceful stop) must still get
      // an answer.
      response = ProblemResponse(Internal("answering the request failed"),
                                 request_.request_id, "");
    }
    done_(std::move(response));
  }

  const Route& route() const { return *routed_.route; }
  ApiRequest& request() { return request_; }
  // Set once by whoever made the shared_ptr, before the handler runs.
  void set_self(const std::shared_ptr<AsyncCall>& self) { self_ = self; }

 private:
  RequestPipeline& pipeline_;
  const Routed routed_;
  ApiRequest request_;
  const Completion done_;
  const Timestamp started_;
  std::weak_ptr<AsyncCall> self_;
  std::atomic<bool> answered_{false};
};

void RequestPipeline::Submit(ApiRequest request, Completion done) {
  request.request_id = IsWellFormedRequestId(request.client_request_id)
                           ? request.client_request_id
                           : request_ids_.Next();
  Routed routed = Resolve(request);
  if (routed.route == nullptr || routed.route->cost == RouteCost::kInline) {
    request.may_block = false;
    done(Run(routed, request));
    return;
  }
  if (routed.route->cost == RouteCost::kInlineFirst) {
    ApiResponse response;
    if (TryInline(routed, request, &response)) return done(std::move(response));
    // The handler would block: it runs again below, on a worker.
  }
  if (routed.route->cost == RouteCost::kAsync ||
      routed.route->cost == RouteCost::kAsyncInlineFirst) {
    const bool inline_first =
        routed.route->cost == RouteCost::kAsyncInlineFirst &&
        routed.route->access == RouteAccess::kPublic;
    request.may_block = !inline_first;
    auto call = std::make_shared<AsyncCall>(
        *this, std::move(routed), std::move(request), std::move(done));
    call->set_self(call);
    if (inline_first) return StartAsync(std::move(call));
    return StartOnWorker(std::move(call));
  }
  boost::asio::post(
      workers_, [this, routed = std::move(routed), request = std::move(request),
                 done = std::move(done)]() mutable {
        if (before_handler_for_test_) before_handler_for_test_();
        request.may_block = true;
        done(Run(routed, request));
      });
}

// A kInlineFirst route on the I/O thread. False when its handler asked for
// a worker: nothing is recorded then (the worker's run is the request's).
bool RequestPipeline::TryInline(const Routed& routed, ApiRequest& request,
                                ApiResponse* response) {
  const Timestamp started = clock_.Now();
  request.may_block = false;
  bool needs_worker = false;
  *response = Invoke(*routed.route, request, &needs_worker);
  if (needs_worker) return false;
  Finish(routed, request, *response, started);
  return true;
}

ApiResponse RequestPipeline::Process(ApiRequest& request) {
  Routed routed = Resolve(request);
  if (routed.route == nullptr ||
      (routed.route->cost != RouteCost::kAsync &&
       routed.route->cost != RouteCost::kAsyncInlineFirst)) {
    return Run(routed, request);
  }
  // An asynchronous route: the same path as Submit, waited for here (this
  // thread may block).
  std::promise<ApiResponse> answered;
  request.may_block = true;
  auto call = std::make_shared<AsyncCall>(
      *this, std::move(routed), request, [&answered](ApiResponse response) {
        answered.set_value(std::move(response));
      });
  call->set_self(call);
  StartAsync(std::move(call));
  return answered.get_future().get();
}

RequestPipeline::Routed RequestPipeline::Resolve(ApiRequest& request) const {
  Routed routed;
  std::vector<std::string> segments;
  Status parsed = ParseTarget(request.target, &segments, &request.query);
  if (!parsed.ok()) {
    routed.answer = ProblemResponse(parsed, request.request_id, "");
    return routed;
  }
  RouteMatch match = router_.Match(request.method, segments);
  switch (match.kind) {
    case RouteMatch::Kind::kFound:
      routed.route = match.route;
      routed.label = match.route->pattern;
      request.path_params = std::move(match.params);
      break;
    case RouteMatch::Kind::kNotFound: {
      const std::string instance = InstanceOf(request);
      routed.answer =
          ProblemResponse(NotFound("no route for " + instance.substr(0, 256)),
                          request.request_id, instance);
      break;
    }
    case RouteMatch::Kind::kMethodNotAllowed:
      routed.answer =
          ProblemResponse(405, "method-not-allowed", "Method not allowed",
                          "method " + request.method.substr(0, 16) +
                              " is not allowed here; use " + match.allow,
                          request.request_id, InstanceOf(request));
      routed.answer->headers.emplace_back("Allow", match.allow);
      break;
  }
  return routed;
}

ApiResponse RequestPipeline::Run(const Routed& routed, ApiRequest& request) {
  Timestamp started = clock_.Now();
  ApiResponse response =
      routed.answer ? *routed.answer : Invoke(*routed.route, request);
  Finish(routed, request, response, started);
  return response;
}

// The handler's start moves to the pool, where it may block.
void RequestPipeline::StartOnWorker(std::shared_ptr<AsyncCall> call) {
  call->request().may_block = true;
  boost::asio::post(workers_, [this, call = std::move(call)]() mutable {
    if (before_handler_for_test_) before_handler_for_test_();
    StartAsync(std::move(call));
  });
}

// On a worker (or on the I/O thread for the inline attempt of a
// kAsyncInlineFirst route): authentication, then the handler, which keeps a
// responder.
// The catch-all of an asynchronous request: an exception before the answer
// is a 500 (after it, ignored: the answer stands).
void RequestPipeline::StartAsync(std::shared_ptr<AsyncCall> call) {
  const Route& route = call->route();
  ApiRequest& request = call->request();
  try {
    Status auth = Authenticate(route, request);
    if (!auth.ok()) return call->Answer(auth);
    route.async_handler(request, [call](Result<ApiResponse> result) {
      call->Answer(std::move(result));
    });
    return;
  } catch (const std::exception& e) {
    LogUncaught(route, request, e.what());
  } catch (...) {
    LogUncaught(route, request, "a non-standard exception");
  }
  call->Answer(Internal("uncaught exception"));
}

// Problem+json for a failed result; internal errors are logged with the
// request id (their message never reaches the client).
ApiResponse RequestPipeline::ToResponse(const Route& route,
                                        const ApiRequest& request,
                                        Result<ApiResponse> result) {
  if (result.ok()) return std::move(result).value();
  if (result.status().code() == StatusCode::kInternal) {
    std::fprintf(stderr, "request %s %s %s: %s\n", request.request_id.c_str(),
                 request.method.c_str(), route.pattern.c_str(),
                 result.status().ToString().c_str());
  }
  return ProblemResponse(result.status(), request.request_id,
                         InstanceOf(request));
}

// The one catch-all per request: any exception escaping a handler is a bug;
// it is logged with the request id and answered with an opaque 500.
// `needs_worker` (an inline attempt of a kInlineFirst route) is set when
// the handler answered NeedsWorker(); the response is then meaningless.
ApiResponse RequestPipeline::Invoke(const Route& route, ApiRequest& request,
                                    bool* needs_worker) {
  try {
    Status auth = Authenticate(route, request);
    if (needs_worker != nullptr && IsNeedsWorker(auth)) {
      *needs_worker = true;
      return ApiResponse();
    }
    if (!auth.ok()) {
      return ProblemResponse(auth, request.request_id, InstanceOf(request));
    }
    Result<ApiResponse> result = route.handler(request);
    if (needs_worker != nullptr && IsNeedsWorker(result.status())) {
      *needs_worker = true;
      return ApiResponse();
    }
    return ToResponse(route, request, std::move(result));
  } catch (const std::exception& e) {
    LogUncaught(route, request, e.what());
  } catch (...) {
    LogUncaught(route, request, "a non-standard exception");
  }
  return ProblemResponse(Internal("uncaught exception"), request.request_id,
                         InstanceOf(request));
}

// RFC 6750 section 2.1: "Authorization: Bearer <token>". A missing or
// malformed header is still handed to the authenticator (as an empty
// token) so that every failed authentication leaves an audit record.
Status RequestPipeline::Authenticate(const Route& route, ApiRequest& request) {
  std::string_view token = BearerCredential(request.authorization);
  // The inline attempt of an authenticated kInlineFirst route: only what
  // memory can answer (a cached API token); anything else (a miss, a
  // workload token, a session cookie, a refusal to audit) reruns the
  // request on a worker, where the full path below decides.
  if (!request.may_block && route.cost == RouteCost::kInlineFirst &&
      route.access == RouteAccess::kAuthenticated) {
    if (token.empty() || authenticator_.IsWorkloadToken(token)) {
      return NeedsWorker();
    }
    std::optional<Principal> cached = authenticator_.CachedApiToken(token);
    if (!cached) return NeedsWorker();
    SetCaller(std::move(*cached), request);
    return Status::Ok();
  }
  if (authenticator_.IsWorkloadToken(token)) {
    // A public route that does not accept workloads ignores the header, as
    // it ignores any credential.
    if (route.access == RouteAccess::kPublic &&
        route.workload == RouteWorkload::kRefused) {
      return Status::Ok();
    }
    return AuthenticateWorkload(route, token, request);
  }
  if (route.access != RouteAccess::kAuthenticated) return Status::Ok();
  // A bearer token wins over a cookie: API clients never depend on what a
  // browser happens to hold.
  Result<Principal> principal =
      token.empty() && !request.cookie.empty()
          ? authenticator_.AuthenticateSession(
                request.cookie, request.csrf_token,
                ChangesState(request.method), request.remote,
                request.request_id)
          : authenticator_.AuthenticateApiToken(token, request.remote,
                                                request.request_id);
  if (!principal.ok()) return AsAuthenticationError(principal.status());
  SetCaller(std::move(principal).value(), request);
  return Status::Ok();
}

// Deny by default: a valid workload token on a route that has not opted in
// is refused (403, audited) before the handler runs, whatever the route.
Status RequestPipeline::AuthenticateWorkload(const Route& route,
                                             std::string_view token,
                                             ApiRequest& request) {
  const std::string_view thumbprint =
      request.client_certificate != nullptr
          ? std::string_view(request.client_certificate->thumbprint_s256)
          : std::string_view();
  Result<Principal> principal = authenticator_.AuthenticateWorkload(
      token, thumbprint, request.remote, request.request_id);
  if (!principal.ok()) return AsAuthenticationError(principal.status());
  SetCaller(std::move(principal).value(), request);
  if (route.workload == RouteWorkload::kAccepted) return Status::Ok();
  return authenticator_.RefuseWorkload(request.caller, route.method,
                                       route.pattern);
}

void RequestPipeline::Finish(const Routed& routed, const ApiRequest& request,
                             ApiResponse& response, Timestamp started) {
  response.headers.emplace_back("X-Request-Id", request.request_id);
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      clock_.Now() - started);
  metrics_.OnRequest(routed.label, request.method, response.status, elapsed);
  if (response.status == 401 && routed.route != nullptr) {
    const auto [credential, reason] = FailedCredential(
        *routed.route, request, authenticator_, public_route_credentials_);
    metrics_.OnAuthenticationFailure(credential, reason);
  }
}

}  // namespace warden
