// The OpenID AuthZEN Authorization API 1.0 (Warden as a policy decision
// point, https://openid.net/specs/authorization-api-1_0.html):
//
//   POST /access/v1/evaluation        {subject, action, resource, context?}
//       -> {"decision": bool, "context": reasons}
//   POST /access/v1/evaluations       {..defaults, evaluations: [...],
//       options: {evaluations_semantic, include_reasons}} -> {"evaluations":
//       [{"decision", "context"?}]} (no "evaluations": as /evaluation)
//   POST /access/v1/search/subject|resource|action
//       -> {"results": [...], "page": {"next_token", "count"}}
//   GET  /.well-known/authzen-configuration  (public) PDP metadata
//
// The POST routes are kInlineFirst: answered on the I/O thread while the
// caller's API token and the facts are cached, on the worker pool
// otherwise. Callers authenticate with a Warden API token (access.evaluate:
// admin, security, sdk) or a workload access token with scope
// "access:evaluate". A denial is a 200 {"decision": false}; 4xx are errors of
// the request (problem+json; its "detail" is the spec's error message string).
// A client's X-Request-ID comes back in the response (the pipeline echoes a
// well-formed one).
//
// Batch items carry only {"decision"} unless options.include_reasons is
// true: the interop suite compares the items as they are.
#ifndef WARDEN_API_AUTHZEN_ROUTES_H_
#define WARDEN_API_AUTHZEN_ROUTES_H_

#include <memory>
#include <string>

#include "access/access_decision_point.h"
#include "http/router.h"

namespace warden::api {

struct AuthzenRouteDeps {
  access::AccessDecisionPoint& decisions;
  // The server's base URL (the "policy_decision_point" identifier); read
  // at request time, set once the server is bound.
  const std::string& base_url;
};

void AddAuthzenRoutes(Router& router, AuthzenRouteDeps deps);

}  // namespace warden::api

#endif  // WARDEN_API_AUTHZEN_ROUTES_H_
