// OpenID AuthZEN Authorization API 1.0, HTTPS binding (section 11).
#include "api/authzen_routes.h"

#include "http/json_reader.h"
#include "policy/authzen_request.h"

namespace warden::api {
namespace {

constexpr std::string_view kEvaluateAction = "access.evaluate";
constexpr std::string_view kSearchAction = "access.search";

// The body as an object; a malformed one is counted before it is refused.
Result<boost::json::object> Body(access::AccessDecisionPoint& decisions,
                                 const ApiRequest& request,
                                 std::string_view action) {
  Result<boost::json::object> body = ParseJsonObject(request.body);
  if (!body.ok()) decisions.NoteInvalid(request.caller, action);
  return body;
}

boost::json::object DecisionJson(const access::AccessAnswer& answer) {
  boost::json::object out{{"decision", answer.allowed}};
  if (!answer.context.empty()) out["context"] = answer.context;
  return out;
}

bool IncludeReasons(const boost::json::object& body) {
  const auto* options = body.if_contains("options");
  if (options == nullptr || !options->is_object()) return false;
  const auto* include = options->get_object().if_contains("include_reasons");
  return include != nullptr && include->is_bool() && include->get_bool();
}

Result<ApiResponse> Evaluation(access::AccessDecisionPoint& decisions,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          Body(decisions, request, kEvaluateAction));
  policy::AccessRequest access;
  if (Status parsed = policy::ParseEvaluation(body, &access); !parsed.ok()) {
    decisions.NoteInvalid(request.caller, kEvaluateAction);
    return parsed;
  }
  WARDEN_ASSIGN_OR_RETURN(
      access::AccessAnswer answer,
      decisions.Evaluate(request.caller, access, request.may_block));
  return JsonResponse(DecisionJson(answer));
}

Result<ApiResponse> Evaluations(access::AccessDecisionPoint& decisions,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          Body(decisions, request, kEvaluateAction));
  Result<policy::EvaluationsRequest> batch = policy::ParseEvaluations(body);
  if (!batch.ok()) {
    decisions.NoteInvalid(request.caller, kEvaluateAction);
    return batch.status();
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<access::AccessAnswer> answers,
      decisions.Evaluations(request.caller, *batch, IncludeReasons(body),
                            request.may_block));
  if (batch->single) return JsonResponse(DecisionJson(answers.front()));
  boost::json::array items;
  for (const access::AccessAnswer& answer : answers) {
    items.push_back(DecisionJson(answer));
  }
  return JsonResponse(boost::json::object{{"evaluations", std::move(items)}});
}

Result<ApiResponse> Search(access::AccessDecisionPoint& decisions,
                           policy::SearchKind kind, const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body,
                          Body(decisions, request, kSearchAction));
  Result<policy::SearchRequest> search = policy::ParseSearch(kind, body);
  if (!search.ok()) {
    decisions.NoteInvalid(request.caller, kSearchAction);
    return search.status();
  }
  WARDEN_ASSIGN_OR_RETURN(
      access::SearchPage page,
      decisions.Search(request.caller, *search, request.may_block));
  const int64_t count = static_cast<int64_t>(page.results.size());
  return JsonResponse(boost::json::object{
      {"results", std::move(page.results)},
      {"page", {{"next_token", page.next_token}, {"count", count}}}});
}

Result<ApiResponse> Metadata(const std::string& base_url) {
  ApiResponse response = JsonResponse(boost::json::object{
      {"policy_decision_point", base_url},
      {"access_evaluation_endpoint", base_url + "/access/v1/evaluation"},
      {"access_evaluations_endpoint", base_url + "/access/v1/evaluations"},
      {"search_subject_endpoint", base_url + "/access/v1/search/subject"},
      {"search_resource_endpoint", base_url + "/access/v1/search/resource"},
      {"search_action_endpoint", base_url + "/access/v1/search/action"}});
  // AuthZEN 1.0 "Metadata Caching": metadata changes only with a restart.
  response.headers.emplace_back("Cache-Control", "max-age=3600");
  return response;
}

void AddDecisionRoute(Router& router, std::string pattern,
                      RouteHandler handler) {
  Route route;
  route.method = "POST";
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  route.workload = RouteWorkload::kAccepted;
  // On the I/O thread while the caller's token and the facts are cached
  // (as OFREP); a miss, a workload token or a refusal to audit reruns the
  // request on a worker (the decision point answers WouldBlock, having
  // counted nothing).
  route.cost = RouteCost::kInlineFirst;
  router.Add(std::move(route));
}

}  // namespace

void AddAuthzenRoutes(Router& router, AuthzenRouteDeps deps) {
  access::AccessDecisionPoint& decisions = deps.decisions;
  AddDecisionRoute(router, "/access/v1/evaluation",
                   [&decisions](const ApiRequest& request) {
                     return Evaluation(decisions, request);
                   });
  AddDecisionRoute(router, "/access/v1/evaluations",
                   [&decisions](const ApiRequest& request) {
                     return Evaluations(decisions, request);
                   });
  for (const auto& [path, searched] :
       {std::pair{"subject", policy::SearchKind::kSubject},
        std::pair{"resource", policy::SearchKind::kResource},
        std::pair{"action", policy::SearchKind::kAction}}) {
    // A copy: lambdas may not capture structured bindings before C++20's
    // P1091 (Clang 16).
    const policy::SearchKind kind = searched;
    AddDecisionRoute(router, std::string("/access/v1/search/") + path,
                     [&decisions, kind](const ApiRequest& request) {
                       return Search(decisions, kind, request);
                     });
  }
  const std::string& base_url = deps.base_url;
  router.Add({"GET", "/.well-known/authzen-configuration", RouteAccess::kPublic,
              RouteCost::kInline,
              [&base_url](const ApiRequest&) { return Metadata(base_url); }});
}

}  // namespace warden::api
