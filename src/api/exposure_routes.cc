// /v1 routes of release exposure: environments, flags (with flagd import
// and export), tenants, segments and exposure limits. Parse -> one service
// call -> JSON; the flag and segment bodies are read by the service's
// strict codec (service/exposure_json.h), the rest by JsonObjectReader.
#include "api/exposure_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>

#include "api/resource_json.h"
#include "api/route_glue.h"
#include "authz/authorizer.h"
#include "core/time_format.h"
#include "exposure/tenant_exposure.h"
#include "http/json_reader.h"
#include "http/query_reader.h"
#include "wire/exposure_json.h"

namespace warden::api {
namespace {

namespace json = boost::json;

json::object ToJson(const exposure::FlagView& view) {
  json::object out = wire::FlagSpecToJson(view.spec);
  out["environment"] = Name(view.environment);
  out["archived"] = view.archived;
  out["stale"] = view.stale;
  out["created_at"] = FormatRfc3339(view.created_at);
  out["updated_at"] = FormatRfc3339(view.updated_at);
  out["last_evaluated_at"] = TimeOrNull(view.last_evaluated_at);
  out["version"] = view.version;
  return out;
}

json::object ToJson(const TenantRecord& tenant) {
  // Stored attributes were validated as an object when written.
  boost::system::error_code ec;
  json::value attributes = json::parse(tenant.attributes_json, ec);
  if (ec) attributes = json::object{};
  return {{"key", tenant.key},
          {"name", tenant.name},
          {"account_manager", tenant.account_manager},
          {"attributes", std::move(attributes)},
          {"integrations", wire::StringListToJson(tenant.integrations)},
          {"created_at", FormatRfc3339(tenant.created_at)},
          {"updated_at", FormatRfc3339(tenant.updated_at)},
          {"version", tenant.version}};
}

json::object ToJson(const exposure::SegmentView& view) {
  json::object out{{"key", view.record.key},
                   {"description", view.record.description},
                   {"rules", wire::ConditionsToJson(view.rules)},
                   {"tenant_count", view.record.tenant_count},
                   {"created_at", FormatRfc3339(view.record.created_at)},
                   {"updated_at", FormatRfc3339(view.record.updated_at)},
                   {"version", view.record.version}};
  if (view.tenants) out["tenants"] = wire::StringListToJson(*view.tenants);
  return out;
}

// The report as recorded (exposure::LimitReportToJson), or null before it
// is (and for limits set before reports were kept).
json::value StoredReport(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  json::value report = json::parse(text, ec);
  if (ec || !report.is_object()) return nullptr;
  return report;
}

json::object ToJson(const ExposureLimitRecord& limit) {
  return {
      {"id", limit.id},
      {"scope", limit.scope},
      {"values", wire::StringListToJson(limit.scope_values)},
      {"flags", wire::StringListToJson(limit.flag_keys)},
      {"environment", limit.environment ? json::value(Name(*limit.environment))
                                        : json::value(nullptr)},
      {"reason", limit.reason},
      {"actor", limit.actor},
      {"actor_role", EmptyAsNull(limit.actor_role)},
      {"created_at", FormatRfc3339(limit.created_at)},
      {"active", limit.active()},
      {"lifted_at", TimeOrNull(limit.lifted_at)},
      {"lifted_by", limit.lifted_by},
      {"lift_reason", limit.lift_reason},
      {"time_to_limit_us", limit.time_to_limit_us
                               ? json::value(*limit.time_to_limit_us)
                               : json::value(nullptr)},
      {"report", StoredReport(limit.report_json)}};
}

// Every list of this file has the same shape.
template <typename T>
ApiResponse ListResponse(const std::vector<T>& items) {
  return ItemsResponse(items, [](const T& item) { return ToJson(item); });
}

// ?environment= (required), plus whatever `more` reads.
template <typename More>
Result<Environment> QueryEnvironment(const ApiRequest& request, More more) {
  QueryReader query(request.query);
  std::optional<Environment> env;
  query.Enum("environment", &env, &ParseEnvironment, &AllowedEnvironments);
  more(query);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  if (!env) {
    return InvalidArgument("query parameter \"environment\" is required",
                           "bad-query-parameter");
  }
  return *env;
}

Result<Environment> QueryEnvironment(const ApiRequest& request) {
  return QueryEnvironment(request, [](QueryReader&) {});
}

// ------------------------------------------------------------------ flags

Result<ApiResponse> ListFlags(exposure::FlagService& flags,
                              const ApiRequest& request) {
  bool stale = false;
  WARDEN_ASSIGN_OR_RETURN(
      Environment env, QueryEnvironment(request, [&](QueryReader& query) {
        stale = ReadTwoWordParam(query, {"stale", "true", "false"});
      }));
  WARDEN_ASSIGN_OR_RETURN(std::vector<exposure::FlagView> list,
                          flags.List(request.caller, env, stale));
  return ListResponse(list);
}

Result<ApiResponse> CreateFlag(exposure::FlagService& flags,
                               const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, QueryEnvironment(request));
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(wire::FlagSpec spec, wire::FlagSpecFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(exposure::FlagView created,
                          flags.Create(request.caller, env, std::move(spec)));
  return CreatedResponse(
      ToJson(created), created.version,
      "/v1/flags/" + std::string(Name(env)) + "/" + created.spec.flag.key);
}

Result<ApiResponse> GetFlag(exposure::FlagService& flags,
                            const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, PathEnvironment(request));
  WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
  WARDEN_ASSIGN_OR_RETURN(
      exposure::FlagView view,
      flags.Get(request.caller, env, PathParam(request, "key")));
  return VersionedResponse(ToJson(view), view.version);
}

Result<ApiResponse> ReplaceFlag(exposure::FlagService& flags,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, PathEnvironment(request));
  WARDEN_ASSIGN_OR_RETURN(std::optional<int64_t> version,
                          IfMatchVersion(request));
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  const std::string& key = PathParam(request, "key");
  if (!body.contains("key")) body["key"] = key;
  WARDEN_ASSIGN_OR_RETURN(wire::FlagSpec spec, wire::FlagSpecFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(
      exposure::FlagView view,
      flags.Replace(request.caller, env, key, std::move(spec), version));
  return VersionedResponse(ToJson(view), view.version);
}

Result<ApiResponse> PatchFlag(exposure::FlagService& flags,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, PathEnvironment(request));
  WARDEN_ASSIGN_OR_RETURN(std::optional<int64_t> version,
                          IfMatchVersion(request));
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(
      exposure::FlagView view,
      flags.Patch(request.caller, env, PathParam(request, "key"), body,
                  version));
  return VersionedResponse(ToJson(view), view.version);
}

Result<ApiResponse> ArchiveFlag(exposure::FlagService& flags,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, PathEnvironment(request));
  WARDEN_RETURN_IF_ERROR(
      flags.Archive(request.caller, env, PathParam(request, "key")).status());
  return NoContent();
}

json::array WarningsToJson(const eval::ConfigWarnings& warnings) {
  json::array out;
  for (const eval::ConfigWarning& w : warnings) {
    out.push_back(json::object{{"path", w.path}, {"message", w.message}});
  }
  return out;
}

// ?environment= (required), ?strict=true|false (refuse warnings).
Result<ApiResponse> ImportFlags(exposure::FlagService& flags,
                                const ApiRequest& request) {
  exposure::FlagImportOptions options;
  WARDEN_ASSIGN_OR_RETURN(
      Environment env, QueryEnvironment(request, [&](QueryReader& query) {
        options.strict = ReadTwoWordParam(query, {"strict", "true", "false"});
      }));
  WARDEN_ASSIGN_OR_RETURN(
      exposure::FlagImportSummary summary,
      flags.Import(request.caller, env, request.body, options));
  return JsonResponse(
      json::object{{"environment", Name(env)},
                   {"created", summary.created},
                   {"updated", summary.updated},
                   {"flags", wire::StringListToJson(summary.keys)},
                   {"evaluators_changed", summary.evaluators_changed},
                   {"metadata_changed", summary.metadata_changed},
                   {"warnings", WarningsToJson(summary.warnings)},
                   {"warnings_omitted", summary.warnings_omitted}});
}

Result<ApiResponse> ExportFlags(exposure::FlagService& flags,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(Environment env, QueryEnvironment(request));
  WARDEN_ASSIGN_OR_RETURN(std::string document,
                          flags.Export(request.caller, env));
  ApiResponse response;
  response.body = std::move(document);
  return response;
}

// ---------------------------------------------------------------- tenants

// A tenant's "attributes": any JSON object, or absent (nullptr). Another
// type fails `reader` and is nullptr too.
const json::object* ReadAttributes(JsonObjectReader& reader,
                                   const json::object& body) {
  if (!reader.Has("attributes")) return nullptr;
  const json::value& attributes = body.at("attributes");
  if (attributes.is_object()) return &attributes.get_object();
  reader.Fail(InvalidArgument("attributes must be an object", "wrong-type"));
  return nullptr;
}

// ?environment= (default production), ?after= (a flag key), ?limit=.
Result<ApiResponse> TenantExposure(const exposure::TenantExposure& exposure,
                                   const ApiRequest& request) {
  QueryReader query(request.query);
  std::optional<Environment> env;
  query.Enum("environment", &env, &ParseEnvironment, &AllowedEnvironments);
  std::optional<std::string> after;
  query.String("after", &after);
  std::optional<int64_t> limit;
  query.Int("limit", &limit, 1, exposure::kMaxExposurePage);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  exposure::ExposurePageRequest page;
  page.after = after.value_or("");
  page.limit = limit.value_or(exposure::kDefaultExposurePage);
  WARDEN_ASSIGN_OR_RETURN(
      exposure::TenantExposureReport report,
      exposure.Explain(request.caller, PathParam(request, "key"),
                       env.value_or(Environment::kProduction), page));
  return JsonResponse(exposure::TenantExposureToJson(report));
}

Result<TenantRecord> TenantFromJson(const json::object& body) {
  JsonObjectReader reader(body);
  TenantRecord tenant;
  reader.String("key", &tenant.key, Presence::kRequired);
  reader.String("name", &tenant.name);
  reader.String("account_manager", &tenant.account_manager);
  reader.StringArray("integrations", &tenant.integrations);
  if (const json::object* attributes = ReadAttributes(reader, body)) {
    tenant.attributes_json = json::serialize(*attributes);
  }
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  return tenant;
}

Result<exposure::TenantPatch> TenantPatchFromJson(const json::object& body) {
  JsonObjectReader reader(body);
  exposure::TenantPatch patch;
  reader.String("name", &patch.name);
  reader.String("account_manager", &patch.account_manager);
  reader.StringArray("integrations", &patch.integrations);
  if (const json::object* attributes = ReadAttributes(reader, body)) {
    patch.attributes = *attributes;
  }
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  return patch;
}

// Without query parameters, every tenant (as before paging existed); with
// any of q, account_manager, limit or cursor, one page and next_cursor.
Result<ApiResponse> ListTenants(exposure::TenantService& tenants,
                                const ApiRequest& request) {
  if (request.query.empty()) {
    WARDEN_ASSIGN_OR_RETURN(std::vector<TenantRecord> list,
                            tenants.List(request.caller));
    return ListResponse(list);
  }
  QueryReader query(request.query);
  std::optional<std::string> text, account_manager;
  query.String("q", &text);
  query.String("account_manager", &account_manager);
  const TenantFilter filter{text.value_or(""), account_manager.value_or("")};
  PageParams params;
  ReadPageParams(query, &params);
  WARDEN_RETURN_IF_ERROR(query.Finish());
  PageRequest page;
  WARDEN_RETURN_IF_ERROR(FinishPage(params, &page, CursorKey::kName));
  WARDEN_ASSIGN_OR_RETURN(Page<TenantRecord> result,
                          tenants.ListPage(request.caller, filter, page));
  return PageResponse(
      result, [](const TenantRecord& tenant) { return ToJson(tenant); });
}

Result<ApiResponse> CreateTenant(exposure::TenantService& tenants,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(TenantRecord tenant, TenantFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(TenantRecord created,
                          tenants.Create(request.caller, std::move(tenant)));
  return CreatedResponse(ToJson(created), created.version,
                         "/v1/tenants/" + created.key);
}

Result<ApiResponse> GetTenant(exposure::TenantService& tenants,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(
      TenantRecord tenant,
      tenants.Get(request.caller, PathParam(request, "key")));
  return VersionedResponse(ToJson(tenant), tenant.version);
}

Result<ApiResponse> PatchTenant(exposure::TenantService& tenants,
                                const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(exposure::TenantPatch patch,
                          TenantPatchFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(patch.expected_version, IfMatchVersion(request));
  WARDEN_ASSIGN_OR_RETURN(
      TenantRecord tenant,
      tenants.Update(request.caller, PathParam(request, "key"), patch));
  return VersionedResponse(ToJson(tenant), tenant.version);
}

// --------------------------------------------------------------- segments

Result<std::vector<std::string>> KeysFromBody(const json::object& body) {
  JsonObjectReader reader(body);
  reader.Has("tenants");
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  const json::value* tenants = body.if_contains("tenants");
  if (tenants == nullptr || tenants->is_null()) {
    return InvalidArgument("tenants is required", "missing-field");
  }
  return wire::StringListFromJson(*tenants, "tenants",
                                  exposure::kMaxSegmentBatch);
}

Result<ApiResponse> ListSegments(exposure::SegmentService& segments,
                                 const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<exposure::SegmentView> list,
                          segments.List(request.caller));
  return ListResponse(list);
}

Result<ApiResponse> CreateSegment(exposure::SegmentService& segments,
                                  const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  std::string key;
  std::string description;
  reader.String("key", &key, Presence::kRequired);
  reader.String("description", &description);
  const bool has_rules = reader.Has("rules");
  const bool has_tenants = reader.Has("tenants");
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  std::vector<eval::Condition> rules;
  if (has_rules) {
    WARDEN_ASSIGN_OR_RETURN(
        rules, wire::ConditionsFromJson(body.at("rules"), "rules"));
  }
  std::vector<std::string> tenants;
  if (has_tenants) {
    WARDEN_ASSIGN_OR_RETURN(
        tenants, wire::StringListFromJson(body.at("tenants"), "tenants",
                                          exposure::kMaxSegmentBatch));
  }
  WARDEN_ASSIGN_OR_RETURN(
      exposure::SegmentView created,
      segments.Create(request.caller, key, std::move(description),
                      std::move(rules), std::move(tenants)));
  return CreatedResponse(ToJson(created), created.record.version,
                         "/v1/segments/" + key);
}

Result<ApiResponse> GetSegment(exposure::SegmentService& segments,
                               const ApiRequest& request) {
  QueryReader query(request.query);
  const bool tenants = ReadTwoWordParam(query, {"tenants", "true", "false"});
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(
      exposure::SegmentView view,
      segments.Get(request.caller, PathParam(request, "key"), tenants));
  return VersionedResponse(ToJson(view), view.record.version);
}

Result<ApiResponse> PatchSegment(exposure::SegmentService& segments,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  JsonObjectReader reader(body);
  exposure::SegmentPatch patch;
  reader.String("description", &patch.description);
  const bool has_rules = reader.Has("rules");
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  if (has_rules) {
    WARDEN_ASSIGN_OR_RETURN(
        patch.rules, wire::ConditionsFromJson(body.at("rules"), "rules"));
  }
  WARDEN_ASSIGN_OR_RETURN(patch.expected_version, IfMatchVersion(request));
  WARDEN_ASSIGN_OR_RETURN(
      exposure::SegmentView view,
      segments.Update(request.caller, PathParam(request, "key"), patch));
  return VersionedResponse(ToJson(view), view.record.version);
}

Result<ApiResponse> AddSegmentTenants(exposure::SegmentService& segments,
                                      const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> keys, KeysFromBody(body));
  const size_t requested = keys.size();
  WARDEN_ASSIGN_OR_RETURN(
      int64_t added,
      segments.AddTenants(request.caller, PathParam(request, "key"),
                          std::move(keys)));
  return JsonResponse(json::object{{"requested", requested}, {"added", added}});
}

// ----------------------------------------------------------------- limits

Result<exposure::LimitRequest> LimitRequestFromJson(const json::object& body) {
  JsonObjectReader reader(body);
  exposure::LimitRequest request;
  reader.String("scope", &request.scope, Presence::kRequired);
  reader.StringArray("values", &request.values);
  reader.StringArray("flags", &request.flag_keys);
  reader.Enum("environment", &request.environment, &ParseEnvironment,
              &AllowedEnvironments);
  reader.String("reason", &request.reason, Presence::kRequired);
  WARDEN_RETURN_IF_ERROR(reader.Finish());
  return request;
}

Result<ApiResponse> ListLimits(exposure::LimitService& limits,
                               const ApiRequest& request) {
  QueryReader query(request.query);
  const bool active_only =
      ReadTwoWordParam(query, {"status", "active", "all", /*absent=*/true});
  WARDEN_RETURN_IF_ERROR(query.Finish());
  WARDEN_ASSIGN_OR_RETURN(std::vector<ExposureLimitRecord> list,
                          limits.List(request.caller, active_only));
  return ListResponse(list);
}

Result<ApiResponse> SetLimit(exposure::LimitService& limits,
                             const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(exposure::LimitRequest limit_request,
                          LimitRequestFromJson(body));
  exposure::LimitReport report;
  WARDEN_ASSIGN_OR_RETURN(
      ExposureLimitRecord limit,
      limits.Set(request.caller, std::move(limit_request), &report));
  json::object answer = ToJson(limit);
  answer["report"] = exposure::LimitReportToJson(report);
  ApiResponse response = JsonResponse(std::move(answer), 201);
  response.headers.emplace_back("Location", "/v1/limits/" + limit.id);
  return response;
}

// The same body as SetLimit; 200 with what it would do, nothing changed.
Result<ApiResponse> PreviewLimit(exposure::LimitService& limits,
                                 const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(exposure::LimitRequest limit_request,
                          LimitRequestFromJson(body));
  WARDEN_ASSIGN_OR_RETURN(
      exposure::LimitPlan plan,
      limits.Preview(request.caller, std::move(limit_request)));
  return JsonResponse(exposure::LimitPlanToJson(plan));
}

Result<ApiResponse> GetLimit(exposure::LimitService& limits,
                             const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(ExposureLimitRecord limit,
                          limits.Get(request.caller, PathParam(request, "id")));
  return JsonResponse(ToJson(limit));
}

Result<ApiResponse> LiftLimit(exposure::LimitService& limits,
                              const ApiRequest& request) {
  WARDEN_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body));
  WARDEN_ASSIGN_OR_RETURN(std::string reason,
                          ReasonFromJson(body, Presence::kRequired));
  WARDEN_ASSIGN_OR_RETURN(
      ExposureLimitRecord limit,
      limits.Lift(request.caller, PathParam(request, "id"), std::move(reason)));
  return JsonResponse(ToJson(limit));
}

// The published revisions, not a store read. Same permission as flag
// reads (an sdk token sees its environment through OFREP, not /v1), and
// audited like every read: the decision ("environment.list", allowed or
// denied) is recorded before the answer leaves.
Result<ApiResponse> ListEnvironments(const ExposureServices& services,
                                     const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
  WARDEN_RETURN_IF_ERROR(services.auditor.AuditedRead(
      request.caller, Permission::kFlagRead, "environment.list", "environments",
      [](Transaction&) { return Status::Ok(); }));
  exposure::ConfigFeed& feed = services.feed;
  json::array items;
  for (Environment env : exposure::kAllEnvironments) {
    auto current = feed.Current(env);
    items.push_back(
        json::object{{"name", Name(env)},
                     {"revision", current->revision},
                     {"flag_count", current->snapshot->flag_count()}});
  }
  return JsonResponse(json::object{{"items", std::move(items)}});
}

}  // namespace

void AddExposureRoutes(Router& router, const ExposureServices& services) {
  const auto kAuth = RouteAccess::kAuthenticated;
  const auto kBlock = RouteCost::kBlocking;
  exposure::FlagService& flags = services.flags;
  router.Add({"GET", "/v1/environments", kAuth, kBlock,
              [services](const ApiRequest& r) {
                return ListEnvironments(services, r);
              }});
  router.Add({"GET", "/v1/flags", kAuth, kBlock, Bind(flags, ListFlags)});
  router.Add({"POST", "/v1/flags", kAuth, kBlock, Bind(flags, CreateFlag)});
  router.Add(
      {"POST", "/v1/flags/import", kAuth, kBlock, Bind(flags, ImportFlags)});
  router.Add(
      {"GET", "/v1/flags/export", kAuth, kBlock, Bind(flags, ExportFlags)});
  const char* flag = "/v1/flags/{environment}/{key}";
  router.Add({"GET", flag, kAuth, kBlock, Bind(flags, GetFlag)});
  router.Add({"PUT", flag, kAuth, kBlock, Bind(flags, ReplaceFlag)});
  router.Add({"PATCH", flag, kAuth, kBlock, Bind(flags, PatchFlag)});
  router.Add({"DELETE", flag, kAuth, kBlock, Bind(flags, ArchiveFlag)});

  exposure::TenantService& tenants = services.tenants;
  router.Add({"GET", "/v1/tenants", kAuth, kBlock, Bind(tenants, ListTenants)});
  router.Add(
      {"POST", "/v1/tenants", kAuth, kBlock, Bind(tenants, CreateTenant)});
  router.Add(
      {"GET", "/v1/tenants/{key}", kAuth, kBlock, Bind(tenants, GetTenant)});
  router.Add({"PATCH", "/v1/tenants/{key}", kAuth, kBlock,
              Bind(tenants, PatchTenant)});
  // Stateless; owned by the route's handler.
  auto exposure = std::make_shared<const exposure::TenantExposure>(
      services.auditor, services.feed);
  router.Add({"GET", "/v1/tenants/{key}/exposure", kAuth, kBlock,
              [exposure](const ApiRequest& r) {
                return TenantExposure(*exposure, r);
              }});

  exposure::SegmentService& segments = services.segments;
  router.Add(
      {"GET", "/v1/segments", kAuth, kBlock, Bind(segments, ListSegments)});
  router.Add(
      {"POST", "/v1/segments", kAuth, kBlock, Bind(segments, CreateSegment)});
  router.Add(
      {"GET", "/v1/segments/{key}", kAuth, kBlock, Bind(segments, GetSegment)});
  router.Add({"PATCH", "/v1/segments/{key}", kAuth, kBlock,
              Bind(segments, PatchSegment)});
  router.Add({"POST", "/v1/segments/{key}/tenants", kAuth, kBlock,
              Bind(segments, AddSegmentTenants)});

  exposure::LimitService& limits = services.limits;
  router.Add({"GET", "/v1/limits", kAuth, kBlock, Bind(limits, ListLimits)});
  router.Add({"POST", "/v1/limits", kAuth, kBlock, Bind(limits, SetLimit)});
  router.Add({"POST", "/v1/limits/preview", kAuth, kBlock,
              Bind(limits, PreviewLimit)});
  router.Add({"GET", "/v1/limits/{id}", kAuth, kBlock, Bind(limits, GetLimit)});
  router.Add(
      {"POST", "/v1/limits/{id}/lift", kAuth, kBlock, Bind(limits, LiftLimit)});
}

}  // namespace warden::api
