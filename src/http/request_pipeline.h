// What happens to one request between "read" and "write": request target
// parsing, routing (404/405), bearer authentication, the handler, the one
// catch-all, problem+json mapping, X-Request-Id and metrics.
//
// Cheap public routes (RouteCost::kInline) are answered on the calling I/O
// thread. Everything else, including authentication (a store read), runs on
// the worker pool, because service calls block (a write waits for its group
// commit's fsync); many concurrent writers then share one commit.
// RouteCost::kInlineFirst routes (OFREP evaluations, /v1/stream) try the I/O
// thread first and move to the pool only when their handler says it would block
// (ApiRequest::may_block; a credential that is not cached).
// Asynchronous routes (RouteCost::kAsync) start the same way on a worker,
// but the worker is free as soon as the handler returns: the completion
// runs later on whichever thread calls the handler's RouteResponder (the
// store's writer after a durable commit), so a request waiting for its
// fsync holds no thread and a commit batch is not capped by the pool size.
// RouteCost::kAsyncInlineFirst (the token endpoint) starts on the I/O
// thread and moves to a worker when its handler answers NeedsWorker() (a
// client that is not cached, or a refusal to be audited): a cached client's
// token then costs two hand-offs (I/O -> writer -> I/O), not three.
// The session's in-flight ticket is held until its response is written,
// so a graceful stop waits for asynchronous requests too; a handler that
// drops its responder unanswered yields a 500, never a hung connection.
//
// Authentication asks the BearerAuthenticator which credential the bearer
// token is: a Warden API token, or a workload's own OAuth access token,
// which is accepted only on routes marked RouteWorkload::kAccepted: on
// every other route a valid workload token is refused with 403 (audited),
// an invalid one with 401.
//
// Thread-safety: Submit() may be called from any thread. The router,
// authenticator, metrics, clock and pool are borrowed and must outlive
// every submitted request (ServerApp drains the pool before destroying them).
#ifndef WARDEN_HTTP_REQUEST_PIPELINE_H_
#define WARDEN_HTTP_REQUEST_PIPELINE_H_

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "http/api_exchange.h"
#include "http/bearer_authenticator.h"
#include "http/metrics.h"
#include "http/request_id.h"
#include "http/router.h"

namespace warden {

// The kinds of credential a 401 counts against: the `credential` label of
// warden_authentication_failures_total (a closed set, so the label stays
// bounded). The pipeline names the bearer credentials of authenticated
// routes itself; public routes that check one of their own are named by
// the table given to set_public_route_credentials().
namespace credential_kind {
inline constexpr char kApiToken[] = "api_token";            // Warden API token
inline constexpr char kWorkloadToken[] = "workload_token";  // RFC 9068
inline constexpr char kConsoleSession[] = "console_session";
inline constexpr char kOAuthClient[] = "oauth_client";  // client auth
inline constexpr char kSdkToken[] = "sdk_token";        // OFREP, streams
inline constexpr char kStreamTicket[] = "stream_ticket";
inline constexpr char kPassword[] = "password";  // console sign-in
inline constexpr char kOidc[] = "oidc";          // single sign-on
inline constexpr char kOther[] = "other";  // a public route not in the table
}  // namespace credential_kind

// Route pattern -> credential_kind constant, for public routes.
using PublicRouteCredentials =
    std::map<std::string, std::string_view, std::less<>>;

class RequestPipeline {
 public:
  // Receives the finished response exactly once, on an I/O or worker thread.
  // For asynchronous routes it runs on the thread that answered (e.g. the
  // store's writer), so it must only hand the response over (post it).
  using Completion = std::function<void(ApiResponse)>;

  RequestPipeline(const Router& router, BearerAuthenticator& authenticator,
                  Metrics& metrics, const Clock& clock,
                  boost::asio::thread_pool& workers)
      : router_(router),
        authenticator_(authenticator),
        metrics_(metrics),
        clock_(clock),
        workers_(workers) {}

  // Assigns the request id, then answers inline or on a worker.
  void Submit(ApiRequest request, Completion done);

  // What the 401 answers of each public route count as (credential_kind).
  // Set before serving.
  void set_public_route_credentials(PublicRouteCredentials credentials) {
    public_route_credentials_ = std::move(credentials);
  }

  // Test-only: called on the worker before each blocking handler.
  void set_before_handler_for_test(std::function<void()> hook) {
    before_handler_for_test_ = std::move(hook);
  }

  // The synchronous path, for tests and benchmarks: the full pipeline on the
  // calling thread (an asynchronous route is started here and waited for).
  // REQUIRES: request.request_id set.
  ApiResponse Process(ApiRequest& request);

 private:
  struct Routed;
  class AsyncCall;
  void StartAsync(std::shared_ptr<AsyncCall> call);
  void StartOnWorker(std::shared_ptr<AsyncCall> call);
  ApiResponse ToResponse(const Route& route, const ApiRequest& request,
                         Result<ApiResponse> result);
  Routed Resolve(ApiRequest& request) const;
  ApiResponse Run(const Routed& routed, ApiRequest& request);
  bool TryInline(const Routed& routed, ApiRequest& request,
                 ApiResponse* response);
  ApiResponse Invoke(const Route& route, ApiRequest& request,
                     bool* needs_worker = nullptr);
  Status Authenticate(const Route& route, ApiRequest& request);
  Status AuthenticateWorkload(const Route& route, std::string_view token,
                              ApiRequest& request);
  // Request id header and metrics (requests, latency, failed
  // authentications) of an answered request.
  void Finish(const Routed& routed, const ApiRequest& request,
              ApiResponse& response, Timestamp started);

  const Router& router_;
  BearerAuthenticator& authenticator_;
  Metrics& metrics_;
  const Clock& clock_;
  boost::asio::thread_pool& workers_;
  std::function<void()> before_handler_for_test_;    // set before serving
  PublicRouteCredentials public_route_credentials_;  // set before serving
  RequestIdGenerator request_ids_;  // X-Request-Id of every request
};

}  // namespace warden

#endif  // WARDEN_HTTP_REQUEST_PIPELINE_H_
