#include "api/posture_routes.h"

#include <boost/json.hpp>

#include "api/posture_json.h"
#include "api/route_glue.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

namespace json = boost::json;

Status ReadFindingFilter(QueryReader& query, FindingFilter* filter) {
  std::optional<std::string> rule, severity, owner, owasp, state, identity,
      application;
  std::optional<Environment> environment;
  query.String("rule", &rule);
  query.String("severity", &severity);
  query.String("owner", &owner);
  query.String("owasp", &owasp);
  query.String("state", &state);
  query.String("identity", &identity);
  query.String("application", &application);
  query.Enum("environment", &environment, &ParseEnvironment,
             &AllowedEnvironments);
  filter->rule = rule.value_or("");
  filter->severity = severity.value_or("");
  filter->owner = owner.value_or("");
  filter->owasp = owasp.value_or("");
  filter->state = state.value_or("");
  filter->identity_id = identity.value_or("");
  filter->application = application.value_or("");
  filter->environment = environment;
  return Status::Ok();
}

Result<ApiResponse> ListFindings(const PostureServices& s,
                                 const ApiRequest& request) {
  QueryReader query(request.query);
  FindingFilter filter;
  WARDEN_RETURN_IF_ERROR(ReadFindingFilter(query, &filter));
  PageParams params;
  ReadPageParams(query, &params);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(FinishPage(params, &page));
  WARDEN_ASSIGN_OR_RETURN(Page<FindingRecord> found,
                          s.findings.List(request.caller, filter, page));
  return PageResponse(found, [](const FindingRecord& f) { return ToJson(f); });
}

Result<ApiResponse> SummarizeFindings(const PostureServices& s,
                                      const ApiRequest& request) {
  QueryReader query(request.query);
  FindingFilter filter;
  WARDEN_RETURN_IF_ERROR(ReadFindingFilter(query, &filter));
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<FindingCount> counts,
                          s.findings.Summarize(request.caller, filter));
  return JsonResponse(SummaryJson(counts));
}

Result<ApiResponse> ListRules(const PostureServices& s,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<posture::RuleSpec> rules,
                          s.findings.Rules(request.caller));
  return ItemsResponse(rules,
                       [](const posture::RuleSpec& r) { return ToJson(r); });
}

Result<ApiResponse> GetFinding(const PostureServices& s,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      FindingRecord finding,
      s.findings.Get(request.caller, PathParam(request, "id")));
  return JsonResponse(ToJson(finding));
}

Result<ApiResponse> AcknowledgeFinding(const PostureServices& s,
                                       const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  posture::Acknowledgement ack;
  reader.String("reason", &ack.reason, Presence::kRequired);
  reader.Time("expires_at", &ack.expires_at);
  reader.Int("expires_in_days", &ack.expires_in_days);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  if (ack.expires_in_days &&
      (*ack.expires_in_days < 1 || *ack.expires_in_days > 180)) {
    return InvalidArgument("expires_in_days must be within 1..180",
                           "invalid-value");
  }
  WARDEN_ASSIGN_OR_RETURN(
      FindingRecord finding,
      s.findings.Acknowledge(request.caller, PathParam(request, "id"), ack));
  return JsonResponse(ToJson(finding));
}

Result<ApiResponse> GetPolicy(const PostureServices& s,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(posture::PosturePolicy policy,
                          s.findings.GetPolicy(request.caller));
  return JsonResponse(posture::PolicyToJson(policy));
}

Result<ApiResponse> PutPolicy(const PostureServices& s,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(posture::PosturePolicy policy,
                          s.findings.PutPolicy(request.caller, body));
  return JsonResponse(posture::PolicyToJson(policy));
}

Result<ApiResponse> Sweep(const PostureServices& s, const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(posture::SweepReport report,
                          s.findings.SweepNow(request.caller));
  return JsonResponse(ToJson(report));
}

Result<ApiResponse> GetMaturity(const PostureServices& s,
                                const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> team, application;
  std::optional<Environment> environment;
  std::optional<int64_t> drill_down, history;
  query.String("team", &team);
  query.String("application", &application);
  query.Enum("environment", &environment, &ParseEnvironment,
             &AllowedEnvironments);
  query.Int("drill_down", &drill_down, 0, 100);
  query.Int("history", &history, 0, 1000);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  posture::MaturityScope scope{team.value_or(""), application.value_or(""),
                               environment};
  WARDEN_ASSIGN_OR_RETURN(
      posture::MaturityView view,
      s.maturity.Get(request.caller, scope,
                     static_cast<int>(drill_down.value_or(20)),
                     static_cast<int>(history.value_or(30))));
  json::object body = ToJson(view);
  body["scope"] = {{"team", EmptyAsNull(scope.team)},
                   {"application", EmptyAsNull(scope.application)},
                   {"environment", environment ? json::value(Name(*environment))
                                               : json::value(nullptr)}};
  return JsonResponse(body);
}

Result<ApiResponse> CreateReview(const PostureServices& s,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  posture::CampaignRequest campaign;
  std::optional<Timestamp> due_at;
  reader.String("name", &campaign.name, Presence::kRequired);
  reader.Time("due_at", &due_at, Presence::kRequired);
  if (reader.Has("scope")) {
    const json::value& scope = body.at("scope");
    if (!scope.is_object()) {
      reader.Fail(InvalidArgument("scope must be an object", "invalid-value"));
    } else {
      JsonObjectReader scope_reader(scope.get_object(), "scope");
      scope_reader.String("team", &campaign.team);
      scope_reader.Enum("environment", &campaign.environment, &ParseEnvironment,
                        &AllowedEnvironments);
      scope_reader.Enum("risk_tier", &campaign.risk_tier, &ParseRiskTier,
                        &AllowedRiskTiers);
      reader.Fail(scope_reader.Finish());
    }
  }
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  campaign.due_at = *due_at;
  WARDEN_ASSIGN_OR_RETURN(posture::CampaignView view,
                          s.reviews.Create(request.caller, campaign));
  return CreatedResponse(ToJson(view), view.campaign.version,
                         "/v1/reviews/" + view.campaign.id);
}

Result<ApiResponse> ListReviews(const PostureServices& s,
                                const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> state;
  query.String("state", &state);
  PageParams params;
  ReadPageParams(query, &params);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(FinishPage(params, &page));
  WARDEN_ASSIGN_OR_RETURN(
      Page<ReviewCampaignRecord> found,
      s.reviews.List(request.caller, state.value_or(""), page));
  return PageResponse(found,
                      [](const ReviewCampaignRecord& c) { return ToJson(c); });
}

Result<ApiResponse> GetReview(const PostureServices& s,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      posture::CampaignView view,
      s.reviews.Get(request.caller, PathParam(request, "id")));
  return JsonResponse(ToJson(view));
}

Result<ApiResponse> CloseReview(const PostureServices& s,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      posture::CampaignView view,
      s.reviews.Close(request.caller, PathParam(request, "id")));
  return JsonResponse(ToJson(view));
}

Result<ApiResponse> ListReviewItems(const PostureServices& s,
                                    const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> decision;
  query.String("decision", &decision);
  PageParams params;
  ReadPageParams(query, &params);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(FinishPage(params, &page));
  WARDEN_ASSIGN_OR_RETURN(
      Page<ReviewItemRecord> found,
      s.reviews.Items(request.caller, PathParam(request, "id"),
                      decision.value_or(""), page));
  return PageResponse(found,
                      [](const ReviewItemRecord& i) { return ToJson(i); });
}

Result<ApiResponse> DecideReviewItem(const PostureServices& s,
                                     const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string decision, justification;
  reader.String("decision", &decision, Presence::kRequired);
  reader.String("justification", &justification);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      ReviewItemRecord item,
      s.reviews.Decide(request.caller, PathParam(request, "id"),
                       PathParam(request, "identity"), decision,
                       justification));
  return JsonResponse(ToJson(item));
}

}  // namespace

void AddPostureRoutes(Router& router, const PostureServices& services) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  // The services struct is copied into each handler (it holds references
  // to services that outlive the router; the struct itself may not).
  auto add = [&](const char* method, const char* path, auto fn) {
    router.Add({method, path, kAuth, kBlock,
                [services, fn](const ApiRequest& request) {
                  return fn(services, request);
                }});
  };
  add("GET", "/v1/findings", ListFindings);
  add("GET", "/v1/findings/summary", SummarizeFindings);
  add("GET", "/v1/findings/rules", ListRules);
  add("GET", "/v1/findings/{id}", GetFinding);
  add("POST", "/v1/findings/{id}/acknowledge", AcknowledgeFinding);
  add("GET", "/v1/posture/policy", GetPolicy);
  add("PUT", "/v1/posture/policy", PutPolicy);
  add("POST", "/v1/posture/sweep", Sweep);
  add("GET", "/v1/maturity", GetMaturity);
  add("POST", "/v1/reviews", CreateReview);
  add("GET", "/v1/reviews", ListReviews);
  add("GET", "/v1/reviews/{id}", GetReview);
  add("POST", "/v1/reviews/{id}/close", CloseReview);
  add("GET", "/v1/reviews/{id}/items", ListReviewItems);
  add("POST", "/v1/reviews/{id}/items/{identity}/decide", DecideReviewItem);
}

}  // namespace warden::api
