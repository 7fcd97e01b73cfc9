// The request bodies of the OpenID AuthZEN Authorization API 1.0
// (https://openid.net/specs/authorization-api-1_0.html), read into views:
//   Access Evaluation (section 6): subject, action, resource required;
//     context optional. Subject and resource: "type" and "id" strings,
//     optional "properties" object; action: "name", optional "properties".
//   Access Evaluations (section 7): an "evaluations" array of partial
//     4-tuples, each part defaulting to the top-level one (7.1.1), and
//     "options.evaluations_semantic" (execute_all, the default;
//     deny_on_first_deny; permit_on_first_permit). Without an
//     "evaluations" array (or with an empty one) it is a single
//     evaluation.
//   Subject / Resource / Action Search (sections 8-10): the searched part
//     names only its type (its id is ignored), the action search has no
//     action; "page": {"token", "limit"} ("next_token" as in the drafts is
//     accepted for "token").
// As peers do, members the specification does not define are ignored (the
// interop suite sends "identity" next to a subject's "id").
//
// Views point into the parsed body, which must outlive them.
#ifndef WARDEN_POLICY_AUTHZEN_REQUEST_H_
#define WARDEN_POLICY_AUTHZEN_REQUEST_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "policy/access_request.h"

namespace warden::policy {

// Evaluations of one boxcarred request: the HTTP body limit (1 MiB) bounds
// it too; this keeps one request's work and audit summary in bounds.
inline constexpr size_t kMaxBatchEvaluations = 1000;
// Results of one search page.
inline constexpr int64_t kDefaultSearchLimit = 100;
inline constexpr int64_t kMaxSearchLimit = 1000;

enum class EvaluationsSemantic {
  kExecuteAll,
  kDenyOnFirstDeny,
  kPermitOnFirstPermit,
};

// One evaluation of a batch: a request, or why it could not be read (that
// evaluation answers false with the error; the others are unaffected).
struct BatchItem {
  AccessRequest request;
  Status error;
};

struct EvaluationsRequest {
  bool single = false;  // no "evaluations": answer as one evaluation
  EvaluationsSemantic semantic = EvaluationsSemantic::kExecuteAll;
  std::vector<BatchItem> items;  // single: exactly one
};

enum class SearchKind { kSubject, kResource, kAction };

struct SearchRequest {
  SearchKind kind = SearchKind::kSubject;
  AccessRequest request;  // the searched part has only its type
  std::string page_token;
  int64_t limit = kDefaultSearchLimit;
};

// Whether a batch stops after an evaluation that came out `allowed`
// (section 7.1.2: deny_on_first_deny works like &&, permit_on_first_permit
// like ||); the response then holds the evaluations run so far.
inline bool StopsAfter(EvaluationsSemantic semantic, bool allowed) {
  return (semantic == EvaluationsSemantic::kDenyOnFirstDeny && !allowed) ||
         (semantic == EvaluationsSemantic::kPermitOnFirstPermit && allowed);
}

// kInvalidArgument naming the member ("subject.id is required").
Status ParseEvaluation(const boost::json::object& body, AccessRequest* out);
// Errors of the payload as a whole (not an object, "evaluations" not an
// array, an unknown semantic, too many evaluations) fail the call; errors
// of one evaluation stay in its BatchItem.
Result<EvaluationsRequest> ParseEvaluations(const boost::json::object& body);
Result<SearchRequest> ParseSearch(SearchKind kind,
                                  const boost::json::object& body);

}  // namespace warden::policy

#endif  // WARDEN_POLICY_AUTHZEN_REQUEST_H_
