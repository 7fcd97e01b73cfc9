// Release governance over HTTP. Parse -> one service call -> JSON.
//   POST /v1/releases                       record (deploy, app_owner, admin)
//   GET  /v1/releases[?service,owner,state,environment,flag,identity,
//                     integration,limit,cursor]   list and reverse views
//   GET  /v1/releases/{id}
//   GET  /v1/releases/{id}/readiness, .../dependencies
//   GET  /v1/flags/{environment}/{key}/dependents   reverse view of a flag
//   GET  /v1/releases/{id}/runbook, POST .../runbook/dry-run
//   POST /v1/releases/{id}/advance|pause|rollback  {"reason"}
//   POST /v1/releases/{id}/signals  {"signals": {name: value}, "source"}
//   POST /v1/releases/{id}/activations  {"tenant", "reason"}
//   GET  /v1/tenants/{key}/changelog[?environment,format=markdown]
//   GET|POST /v1/tenants/{key}/consents
#include "api/release_routes.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/approval_json.h"
#include "api/route_glue.h"
#include "core/time_format.h"
#include "http/json_reader.h"
#include "http/problem.h"
#include "http/query_reader.h"
#include "releases/release_json.h"

namespace warden::api {
namespace {

namespace json = boost::json;

// A nested object or array member, taken as given (the domain parses it);
// null when absent.
json::value RawMember(JsonObjectReader& reader, const json::object& body,
                      std::string_view key) {
  if (!reader.Has(key)) return nullptr;
  return body.at(key);
}

Result<releases::ReleaseRequest> ReleaseRequestFromJson(
    const json::object& body) {
  JsonObjectReader reader(body);
  releases::ReleaseRequest request;
  reader.String("service", &request.service, Presence::kRequired);
  reader.String("version", &request.version, Presence::kRequired);
  reader.Enum("environment", &request.environment, &ParseEnvironment,
              &AllowedEnvironments);
  reader.String("owner", &request.owner, Presence::kRequired);
  reader.StringArray("flags", &request.flags);
  reader.StringArray("identities", &request.identities);
  reader.StringArray("integrations", &request.integrations);
  reader.Enum("risk_tier", &request.risk_tier, &ParseRiskTier,
              &AllowedRiskTiers);
  request.notes = RawMember(reader, body, "notes");
  request.plan = RawMember(reader, body, "plan");
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  return request;
}

json::object ReleaseJson(const ReleaseRecord& release) {
  return releases::ReleaseToJson(release);
}

Result<ApiResponse> RecordRelease(releases::ReleaseService& service,
                                  const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(releases::ReleaseRequest release_request,
                          ReleaseRequestFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(
      ReleaseRecord release,
      service.Record(request.caller, std::move(release_request)));
  ApiResponse response = JsonResponse(ReleaseJson(release), 201);
  response.headers.emplace_back("Location", "/v1/releases/" + release.id);
  return response;
}

Result<ApiResponse> ListReleases(releases::ReleaseService& service,
                                 const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> service_name, owner, state, flag, identity,
      integration;
  ReleaseFilter filter;
  query.String("service", &service_name);
  query.String("owner", &owner);
  query.String("state", &state);
  query.String("flag", &flag);
  query.String("identity", &identity);
  query.String("integration", &integration);
  query.Enum("environment", &filter.environment, &ParseEnvironment,
             &AllowedEnvironments);
  PageParams params;
  ReadPageParams(query, &params);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(FinishPage(params, &page));
  filter.service = service_name.value_or("");
  filter.owner = owner.value_or("");
  filter.state = state.value_or("");
  filter.flag = flag.value_or("");
  filter.identity_id = identity.value_or("");
  filter.integration = integration.value_or("");
  WARDEN_ASSIGN_OR_RETURN(Page<ReleaseRecord> result,
                          service.List(request.caller, filter, page));
  return PageResponse(result, &ReleaseJson);
}

Result<ApiResponse> GetRelease(releases::ReleaseService& service,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      ReleaseRecord release,
      service.Get(request.caller, PathParam(request, "id")));
  return JsonResponse(ReleaseJson(release));
}

Result<ApiResponse> GetReadiness(releases::ReleaseService& service,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      releases::Readiness readiness,
      service.CheckReadiness(request.caller, PathParam(request, "id")));
  return JsonResponse(releases::ReadinessToJson(readiness));
}

Result<ApiResponse> GetRunbook(releases::ReleaseService& service,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      releases::Runbook runbook,
      service.GetRunbook(request.caller, PathParam(request, "id")));
  return JsonResponse(releases::RunbookToJson(runbook));
}

Result<ApiResponse> DryRunRunbook(releases::ReleaseService& service,
                                  const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      releases::Runbook runbook,
      service.DryRunRunbook(request.caller, PathParam(request, "id")));
  return JsonResponse(releases::RunbookToJson(runbook));
}

json::object DependentsJson(const releases::Dependents& dependents) {
  json::array identities;
  for (const Identity& identity : dependents.identities) {
    identities.push_back(json::object{
        {"id", identity.id},
        {"name", identity.name},
        {"owner", identity.owner},
        {"environment", Name(identity.environment)},
        {"vendor", identity.vendor},
        {"status", Name(identity.status)},
        {"can_hold_tokens", identity.status == IdentityStatus::kActive},
        {"last_used_at", TimeOrNull(identity.last_used_at)}});
  }
  auto strings = [](const std::vector<std::string>& items) {
    return json::array(items.begin(), items.end());
  };
  return {{"releases", strings(dependents.releases)},
          {"flags", strings(dependents.flags)},
          {"identities", std::move(identities)},
          {"integrations", strings(dependents.integrations)}};
}

Result<ApiResponse> GetDependencies(releases::ReleaseService& service,
                                    const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      releases::Dependents dependents,
      service.DependenciesOf(request.caller, PathParam(request, "id")));
  return JsonResponse(DependentsJson(dependents));
}

Result<ApiResponse> GetFlagDependents(releases::ReleaseService& service,
                                      const ApiRequest& request) {
  const std::optional<Environment> env =
      ParseEnvironment(PathParam(request, "environment"));
  if (!env) {
    return InvalidArgument(
        "environment must be one of " + AllowedEnvironments(), "invalid-value");
  }
  WARDEN_ASSIGN_OR_RETURN(releases::Dependents dependents,
                          service.DependentsOfFlag(request.caller, *env,
                                                   PathParam(request, "key")));
  return JsonResponse(DependentsJson(dependents));
}

Result<std::string> ReasonOf(const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string reason;
  reader.String("reason", &reason, Presence::kRequired);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  return reason;
}

// A refused advance: the problem with every reason, and the approval that
// would let it pass (RFC 9457 extension members).
ApiResponse RefusedAdvance(const Status& status, const ApiRequest& request,
                           const releases::AdvanceRefusal& refusal) {
  const std::string_view target = request.target;
  ApiResponse response = ProblemResponse(status, request.request_id,
                                         target.substr(0, target.find('?')));
  boost::system::error_code ec;
  json::value problem = json::parse(response.body, ec);
  if (ec || !problem.is_object()) return response;
  problem.as_object()["reasons"] =
      json::array(refusal.reasons.begin(), refusal.reasons.end());
  if (!refusal.approval_id.empty()) {
    problem.as_object()["approval_id"] = refusal.approval_id;
  }
  response.body = json::serialize(problem);
  return response;
}

Result<ApiResponse> Advance(releases::StageController& stages,
                            const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(std::string reason, ReasonOf(request));
  releases::AdvanceRefusal refusal;
  Result<ReleaseRecord> release = stages.Advance(
      request.caller, PathParam(request, "id"), std::move(reason), &refusal);
  if (!release.ok() && !refusal.reasons.empty()) {
    return RefusedAdvance(release.status(), request, refusal);
  }
  if (!release.ok()) return release.status();
  return JsonResponse(ReleaseJson(*release));
}

// pause and rollback: one reason in, the release out.
using StateChange = Result<ReleaseRecord> (releases::StageController::*)(
    const Caller&, std::string_view, std::string);

Result<ApiResponse> ChangeState(releases::StageController& stages,
                                StateChange change, const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(std::string reason, ReasonOf(request));
  WARDEN_ASSIGN_OR_RETURN(
      ReleaseRecord release,
      (stages.*change)(request.caller, PathParam(request, "id"),
                       std::move(reason)));
  return JsonResponse(ReleaseJson(release));
}

// "signals": {"error_rate": 0.02, "p99_ms": 180}.
Result<std::vector<releases::SignalValue>> SignalsFromJson(
    const json::object& body) {
  const json::value* signals = body.if_contains("signals");
  if (signals == nullptr || !signals->is_object()) {
    return InvalidArgument("signals must be an object of name: number",
                           "wrong-type");
  }
  std::vector<releases::SignalValue> values;
  for (const auto& [name, value] : signals->get_object()) {
    if (!value.is_number()) {
      return InvalidArgument(
          "signals." + std::string(name) + " must be a number", "wrong-type");
    }
    values.push_back({std::string(name), value.to_number<double>()});
  }
  return values;
}

Result<ApiResponse> PostSignals(releases::StageController& stages,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string source;
  reader.String("source", &source);
  reader.Has("signals");
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<releases::SignalValue> signals,
                          SignalsFromJson(body));
  if (source.empty()) source = request.caller.principal.subject;
  WARDEN_ASSIGN_OR_RETURN(
      releases::SignalOutcome outcome,
      stages.PostSignals(request.caller, PathParam(request, "id"),
                         std::move(signals), std::move(source)));
  return JsonResponse(json::object{
      {"crossed", json::array(outcome.crossed.begin(), outcome.crossed.end())},
      {"action", outcome.action.empty() ? json::value(nullptr)
                                        : json::value(outcome.action)},
      {"release", ReleaseJson(outcome.release)}});
}

Result<ApiResponse> RequestActivation(releases::ReleaseService& service,
                                      const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string tenant, reason;
  reader.String("tenant", &tenant, Presence::kRequired);
  reader.String("reason", &reason, Presence::kRequired);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      ApprovalRecord approval,
      service.RequestActivation(request.caller, PathParam(request, "id"),
                                tenant, std::move(reason)));
  ApiResponse response =
      JsonResponse(ToJson(approvals::ApprovalView{approval, "{}"}), 201);
  response.headers.emplace_back("Location", "/v1/approvals/" + approval.id);
  return response;
}

Result<ApiResponse> GetChangelog(releases::TenantReleases& tenants,
                                 const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<Environment> environment;
  query.Enum("environment", &environment, &ParseEnvironment,
             &AllowedEnvironments);
  std::optional<std::string> format;
  query.String("format", &format);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  bool markdown = false;
  if (format) {
    WARDEN_ASSIGN_OR_RETURN(
        bool json_format,
        CheckTwoWordParam({"format", "json", "markdown", true}, *format));
    markdown = !json_format;
  }
  WARDEN_ASSIGN_OR_RETURN(
      releases::Changelog changelog,
      tenants.BuildChangelog(request.caller, PathParam(request, "key"),
                             environment.value_or(Environment::kProduction)));
  if (!markdown) return JsonResponse(releases::ChangelogToJson(changelog));
  ApiResponse response;
  response.status = 200;
  response.content_type = "text/markdown; charset=utf-8";
  response.body = releases::ChangelogToMarkdown(changelog);
  return response;
}

Result<ApiResponse> RecordConsent(releases::TenantReleases& tenants,
                                  const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  releases::ConsentRequest consent;
  reader.String("kind", &consent.kind, Presence::kRequired);
  reader.String("via", &consent.via);
  reader.StringArray("flags", &consent.flags);
  reader.String("release", &consent.release_id);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ConsentRecord> recorded,
      tenants.RecordConsent(request.caller, PathParam(request, "key"),
                            std::move(consent)));
  ApiResponse response = ItemsResponse(recorded, &releases::ConsentToJson);
  response.status = 201;
  return response;
}

Result<ApiResponse> ListConsents(releases::TenantReleases& tenants,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ConsentRecord> consents,
      tenants.ListConsents(request.caller, PathParam(request, "key")));
  return ItemsResponse(consents, &releases::ConsentToJson);
}

}  // namespace

void AddReleaseRoutes(Router& router, const ReleaseServices& services) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  releases::ReleaseService& release = services.releases;
  releases::StageController& stages = services.stages;
  releases::TenantReleases& tenants = services.tenants;
  router.Add(
      {"POST", "/v1/releases", kAuth, kBlock, Bind(release, RecordRelease)});
  router.Add(
      {"GET", "/v1/releases", kAuth, kBlock, Bind(release, ListReleases)});
  router.Add(
      {"GET", "/v1/releases/{id}", kAuth, kBlock, Bind(release, GetRelease)});
  router.Add({"GET", "/v1/releases/{id}/readiness", kAuth, kBlock,
              Bind(release, GetReadiness)});
  router.Add({"GET", "/v1/releases/{id}/dependencies", kAuth, kBlock,
              Bind(release, GetDependencies)});
  router.Add({"GET", "/v1/flags/{environment}/{key}/dependents", kAuth, kBlock,
              Bind(release, GetFlagDependents)});
  router.Add({"GET", "/v1/releases/{id}/runbook", kAuth, kBlock,
              Bind(release, GetRunbook)});
  router.Add({"POST", "/v1/releases/{id}/runbook/dry-run", kAuth, kBlock,
              Bind(release, DryRunRunbook)});
  router.Add({"POST", "/v1/releases/{id}/advance", kAuth, kBlock,
              Bind(stages, Advance)});
  router.Add({"POST", "/v1/releases/{id}/pause", kAuth, kBlock,
              Bind(stages, ChangeState,
                   StateChange{&releases::StageController::Pause})});
  router.Add({"POST", "/v1/releases/{id}/rollback", kAuth, kBlock,
              Bind(stages, ChangeState,
                   StateChange{&releases::StageController::Rollback})});
  router.Add({"POST", "/v1/releases/{id}/signals", kAuth, kBlock,
              Bind(stages, PostSignals)});
  router.Add({"POST", "/v1/releases/{id}/activations", kAuth, kBlock,
              Bind(release, RequestActivation)});
  router.Add({"GET", "/v1/tenants/{key}/changelog", kAuth, kBlock,
              Bind(tenants, GetChangelog)});
  router.Add({"GET", "/v1/tenants/{key}/consents", kAuth, kBlock,
              Bind(tenants, ListConsents)});
  router.Add({"POST", "/v1/tenants/{key}/consents", kAuth, kBlock,
              Bind(tenants, RecordConsent)});
}

}  // namespace warden::api
