#include <boost/json.hpp>

#include "api/posture_json.h"
#include "api/posture_routes.h"
#include "api/resource_json.h"
#include "api/route_glue.h"
#include "discovery/observation_json.h"
#include "http/json_reader.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

namespace json = boost::json;

constexpr size_t kMaxIssueSamples = 50;

Result<std::vector<discovery::ScanIssue>> IssuesFromJson(
    const json::object& body) {
  std::vector<discovery::ScanIssue> issues;
  const json::value* list = body.if_contains("issues");
  if (list == nullptr) return issues;
  if (!list->is_array() || list->get_array().size() > kMaxIssueSamples) {
    return InvalidArgument("issues must be an array of at most 50 items",
                           "invalid-value");
  }
  for (const json::value& item : list->get_array()) {
    if (!item.is_object()) {
      return InvalidArgument("issues[] must be objects", "invalid-value");
    }
    JsonObjectReader reader(item.get_object(), "issues[]");
    discovery::ScanIssue issue;
    reader.String("location", &issue.location);
    reader.String("message", &issue.message, Presence::kRequired);
    WARDEN_RETURN_IF_ERROR(reader.Finish());
    issues.push_back(std::move(issue));
  }
  return issues;
}

Result<ApiResponse> StartScan(discovery::DriftService& drift,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string source, target;
  reader.String("source", &source, Presence::kRequired);
  reader.String("target", &target);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(ScanRunRecord scan,
                          drift.StartScan(request.caller, source, target));
  return CreatedResponse(ToJson(scan), 1, "/v1/scans/" + scan.id);
}

Result<ApiResponse> ListScans(discovery::DriftService& drift,
                              const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<int64_t> limit;
  query.Int("limit", &limit, 1, 1000);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ScanRunRecord> scans,
      drift.ListScans(request.caller, static_cast<int>(limit.value_or(50))));
  return ItemsResponse(scans, [](const ScanRunRecord& s) { return ToJson(s); });
}

// POST /v1/scans/{id}/observations and POST /v1/observations: the scan is
// the path's, or the body's "scan_id", or none ("source" and "target").
Result<ApiResponse> RecordObservations(discovery::DriftService& drift,
                                       const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(std::vector<discovery::Observation> observations,
                          discovery::ObservationBatchFromJson(body));
  JsonObjectReader reader(body);
  std::string scan_id = PathParam(request, "id"), source, target;
  reader.Has("observations");
  if (scan_id.empty()) reader.String("scan_id", &scan_id);
  reader.String("source", &source);
  reader.String("target", &target);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      discovery::RecordResult result,
      drift.Record(request.caller, scan_id, source, target, observations));
  return JsonResponse(ToJson(result));
}

Result<ApiResponse> CompleteScan(discovery::DriftService& drift,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, JsonBodyOrEmpty(request));
  WARDEN_ASSIGN_OR_RETURN(std::vector<discovery::ScanIssue> issues,
                          IssuesFromJson(body));
  JsonObjectReader reader(body);
  std::optional<int64_t> issue_count;
  reader.Has("issues");
  reader.Int("issue_count", &issue_count);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      ScanRunRecord scan,
      drift.CompleteScan(request.caller, PathParam(request, "id"), issues,
                         std::max<int64_t>(0, issue_count.value_or(0))));
  return JsonResponse(ToJson(scan));
}

Result<ApiResponse> ListObservations(discovery::DriftService& drift,
                                     const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> kind, source, state, identity;
  query.String("kind", &kind);
  query.String("source", &source);
  query.String("state", &state);
  query.String("identity", &identity);
  const bool unmanaged =
      ReadTwoWordParam(query, {"unmanaged", "true", "false", false});
  PageParams params;
  ReadPageParams(query, &params);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(FinishPage(params, &page));
  ObservationFilter filter;
  filter.kind = kind.value_or("");
  filter.source = source.value_or("");
  filter.state = state.value_or("");
  filter.identity_id = identity.value_or("");
  filter.unmanaged_only = unmanaged;
  if (unmanaged) filter.kinds = discovery::IdentityObservationKinds();
  WARDEN_ASSIGN_OR_RETURN(Page<ObservationRecord> found,
                          drift.ListObservations(request.caller, filter, page));
  return PageResponse(found,
                      [](const ObservationRecord& o) { return ToJson(o); });
}

Result<discovery::DriftKind> ParseDriftKind(const std::string& kind) {
  if (kind == "unmanaged") return discovery::DriftKind::kUnmanaged;
  if (kind == "missing") return discovery::DriftKind::kMissing;
  if (kind == "changed") return discovery::DriftKind::kChanged;
  return InvalidArgument("kind must be one of unmanaged, missing, changed",
                         "invalid-value");
}

Result<ApiResponse> GetDrift(discovery::DriftService& drift,
                             const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<std::string> kind;
  query.String("kind", &kind);
  PageParams params;
  ReadPageParams(query, &params);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(FinishPage(params, &page));
  WARDEN_ASSIGN_OR_RETURN(discovery::DriftKind drift_kind,
                          ParseDriftKind(kind.value_or("unmanaged")));
  WARDEN_ASSIGN_OR_RETURN(discovery::DriftPage found,
                          drift.Drift(request.caller, drift_kind, page));
  json::array items;
  for (const ObservationRecord& o : found.observations) {
    items.push_back(ToJson(o));
  }
  for (const Identity& identity : found.identities) {
    items.push_back(ToJson(identity));
  }
  return JsonResponse(json::object{
      {"summary", ToJson(found.summary)},
      {"kind", kind.value_or("unmanaged")},
      {"items", std::move(items)},
      {"next_cursor", found.next_cursor
                          ? json::value(EncodeCursor(*found.next_cursor))
                          : json::value(nullptr)}});
}

Result<std::vector<discovery::ObservationRef>> RefsFromJson(
    const json::object& body) {
  const json::value* list = body.if_contains("observations");
  if (list == nullptr || !list->is_array()) {
    return InvalidArgument("observations must be an array of {kind, key}",
                           "invalid-value");
  }
  std::vector<discovery::ObservationRef> refs;
  for (const json::value& item : list->get_array()) {
    if (!item.is_object()) {
      return InvalidArgument("observations[] must be objects", "invalid-value");
    }
    JsonObjectReader reader(item.get_object(), "observations[]");
    discovery::ObservationRef ref;
    reader.String("kind", &ref.kind, Presence::kRequired);
    reader.String("key", &ref.key, Presence::kRequired);
    WARDEN_RETURN_IF_ERROR(reader.Finish());
    refs.push_back(std::move(ref));
  }
  return refs;
}

Result<ApiResponse> ImportDrafts(discovery::DriftService& drift,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  discovery::ImportRequest import;
  WARDEN_ASSIGN_OR_RETURN(import.observations, RefsFromJson(body));
  JsonObjectReader reader(body);
  std::optional<Environment> environment;
  reader.Has("observations");
  reader.String("owner", &import.owner);
  reader.Enum("environment", &environment, &ParseEnvironment,
              &AllowedEnvironments);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  if (environment) import.environment = *environment;
  WARDEN_ASSIGN_OR_RETURN(std::vector<Identity> drafts,
                          drift.Import(request.caller, import));
  ApiResponse response =
      ItemsResponse(drafts, [](const Identity& i) { return ToJson(i); });
  response.status = 201;
  return response;
}

Result<ApiResponse> GetSchedule(discovery::ScanScheduler& schedule,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<discovery::ScheduledScan> scans,
                          schedule.Get(request.caller));
  return JsonResponse(discovery::ScheduleToJson(scans));
}

Result<ApiResponse> PutSchedule(discovery::ScanScheduler& schedule,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(std::vector<discovery::ScheduledScan> scans,
                          schedule.Put(request.caller, body));
  return JsonResponse(discovery::ScheduleToJson(scans));
}

}  // namespace

void AddDiscoveryRoutes(Router& router, const DiscoveryServices& services) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  discovery::DriftService& drift = services.drift;
  router.Add({"GET", "/v1/scans/schedule", kAuth, kBlock,
              Bind(services.schedule, GetSchedule)});
  router.Add({"PUT", "/v1/scans/schedule", kAuth, kBlock,
              Bind(services.schedule, PutSchedule)});
  router.Add({"POST", "/v1/scans", kAuth, kBlock, Bind(drift, StartScan)});
  router.Add({"GET", "/v1/scans", kAuth, kBlock, Bind(drift, ListScans)});
  router.Add({"POST", "/v1/scans/{id}/observations", kAuth, kBlock,
              Bind(drift, RecordObservations)});
  router.Add({"POST", "/v1/scans/{id}/complete", kAuth, kBlock,
              Bind(drift, CompleteScan)});
  router.Add({"POST", "/v1/observations", kAuth, kBlock,
              Bind(drift, RecordObservations)});
  router.Add({"GET", "/v1/observations", kAuth, kBlock,
              Bind(drift, ListObservations)});
  router.Add({"GET", "/v1/drift", kAuth, kBlock, Bind(drift, GetDrift)});
  router.Add(
      {"POST", "/v1/drift/import", kAuth, kBlock, Bind(drift, ImportDrafts)});
}

}  // namespace warden::api
