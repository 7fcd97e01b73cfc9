#include <boost/json/serialize.hpp>

#include "api/api_routes.h"
#include "api/resource_json.h"
#include "api/route_glue.h"
#include "http/query_reader.h"

namespace warden::api {
namespace {

// The service's largest page; exports walk the log in pages of this size.
inline constexpr int64_t kMaxAuditPage = 1000;
// One export is held in memory; larger logs are exported in slices with
// since/until/after.
inline constexpr size_t kMaxAuditExport = 100000;

Status ReadAuditQuery(const ApiRequest& request, bool paged,
                      AuditFilter* filter) {
  QueryReader query(request.query);
  query.String("actor", &filter->actor);
  query.String("action", &filter->action);
  query.String("target", &filter->target);
  query.Time("since", &filter->since);
  query.Time("until", &filter->until);
  std::optional<int64_t> after;
  query.Int("after", &after, 0, INT64_MAX);
  std::optional<int64_t> limit;
  std::optional<std::string> order;
  if (paged) {
    query.Int("limit", &limit, 1, kMaxAuditPage);
    query.String("order", &order);
    if (order && *order != "asc" && *order != "desc") {
      query.Fail("order", "must be one of asc, desc");
    }
  }
  WARDEN_RETURN_IF_ERROR(query.Finish());
  if (after) filter->after_sequence = *after;
  filter->limit = static_cast<int>(paged ? limit.value_or(100) : kMaxAuditPage);
  filter->newest_first = order.value_or("asc") == "desc";
  return Status::Ok();
}

Result<ApiResponse> QueryAudit(inventory::AuditService& audit,
                               const ApiRequest& request) {
  AuditFilter filter;
  WARDEN_RETURN_IF_ERROR(ReadAuditQuery(request, /*paged=*/true, &filter));
  WARDEN_ASSIGN_OR_RETURN(std::vector<AuditRecord> records,
                          audit.Query(request.caller, filter));
  return ItemsResponse(
      records, [](const AuditRecord& record) { return ToJson(record); });
}

// JSON Lines (one record per line), oldest first, paging by sequence.
// Each page is one audited query.
Result<ApiResponse> ExportAudit(inventory::AuditService& audit,
                                const ApiRequest& request) {
  AuditFilter filter;
  WARDEN_RETURN_IF_ERROR(ReadAuditQuery(request, /*paged=*/false, &filter));
  ApiResponse response;
  response.content_type = "application/x-ndjson";
  size_t exported = 0;
  while (exported < kMaxAuditExport) {
    WARDEN_ASSIGN_OR_RETURN(std::vector<AuditRecord> records,
                            audit.Query(request.caller, filter));
    for (const AuditRecord& record : records) {
      response.body += boost::json::serialize(ToJson(record));
      response.body += '\n';
      filter.after_sequence = record.sequence;
    }
    exported += records.size();
    if (records.size() < static_cast<size_t>(filter.limit)) break;
  }
  return response;
}

// POST /v1/audit/verify (no body): the chain verified online.
Result<ApiResponse> VerifyAudit(inventory::AuditService& audit,
                                const ApiRequest& request) {
  WARDEN_RETURN_IF_ERROR(QueryReader(request.query).Finish());
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body, JsonBodyOrEmpty(request));
  if (!body.empty()) {
    return InvalidArgument("POST /v1/audit/verify takes no body",
                           "validation-failed");
  }
  WARDEN_ASSIGN_OR_RETURN(inventory::AuditChainCheck check,
                          audit.Verify(request.caller));
  boost::json::value first_broken = nullptr;
  if (check.first_broken_sequence) {
    first_broken = boost::json::object{
        {"sequence", *check.first_broken_sequence}, {"problem", check.problem}};
  }
  boost::json::object answer{
      {"ok", check.ok()},
      {"records_checked", check.records_checked},
      {"first_broken", std::move(first_broken)},
      {"missing_records", check.missing_records},
      {"head", boost::json::object{{"sequence", check.head_sequence},
                                   {"hash", EmptyAsNull(check.head_hash)}}},
      {"checkpoint_sequence",
       check.checkpoint_sequence
           ? boost::json::value(*check.checkpoint_sequence)
           : boost::json::value(nullptr)},
      {"anchor", check.anchor_sequence
                     ? boost::json::value(boost::json::object{
                           {"sequence", *check.anchor_sequence},
                           {"hash", check.anchor_hash}})
                     : boost::json::value(nullptr)},
      {"elapsed_ms", static_cast<double>(check.elapsed.count()) / 1000.0}};
  return JsonResponse(std::move(answer));
}

}  // namespace

void AddAuditRoutes(Router& router, inventory::AuditService& audit) {
  router.Add({"GET", "/v1/audit", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, Bind(audit, QueryAudit)});
  router.Add({"GET", "/v1/audit/export", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, Bind(audit, ExportAudit)});
  router.Add({"POST", "/v1/audit/verify", RouteAccess::kAuthenticated,
              RouteCost::kBlocking, Bind(audit, VerifyAudit)});
}

}  // namespace warden::api
