// What the /v1 route handlers share, so that each area's file holds only its
// own parse -> one service call -> JSON. Every helper is pure, or writes
// only the QueryReader it is given, and may be called from any thread. Only
// Bind keeps a reference (to the service); PathParam's answer refers into
// the request.
//
//   Bind            a RouteHandler over a borrowed service
//   PathParam       a captured "{name}" of the route pattern
//   NoContent       an empty 204
//   JsonBodyOrEmpty the body of a route whose every field is optional
//   ItemsResponse   {"items": [...]}, the shape of every list
//   IfMatchVersion  the version an If-Match header expects
//   VersionedResponse, CreatedResponse  JSON with the version as its ETag
//   TimeOrNull, EmptyAsNull  optional values as JSON (null when absent)
//   TwoWordParam    query parameters that take one of two words
//
// Errors are kInvalidArgument with the problem slug named at each helper;
// their messages are part of the API (clients and tests read them).
#ifndef WARDEN_API_ROUTE_GLUE_H_
#define WARDEN_API_ROUTE_GLUE_H_

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/identity.h"
#include "core/status.h"
#include "http/api_exchange.h"
#include "http/query_reader.h"
#include "http/router.h"

namespace warden::api {

// A handler that calls fn(service, extra..., request). `service` is
// borrowed and must outlive the router; `extra` (e.g. the action of one of
// several routes that share a function) is copied into the handler.
template <typename Service, typename Fn, typename... Extra>
RouteHandler Bind(Service& service, Fn fn, Extra... extra) {
  return [&service, fn, extra...](const ApiRequest& request) {
    return fn(service, extra..., request);
  };
}

// The captured path parameter `name` (always present when the route
// matched; "" otherwise).
const std::string& PathParam(const ApiRequest& request, std::string_view name);

// The "{environment}" path parameter; kNotFound naming the environments
// when it names none.
Result<Environment> PathEnvironment(const ApiRequest& request);

// An empty 204 response (no content type).
ApiResponse NoContent();

// The request body as a JSON object (ParseJsonObject, with its errors), or
// {} when the body is empty.
Result<boost::json::object> JsonBodyOrEmpty(const ApiRequest& request);

// Keyset pages of a list: ?limit=1..kMaxPageSize (default
// kDefaultPageSize) and ?cursor=, an opaque token (base64url of the last
// id of the previous page) answered as "next_cursor".
inline constexpr int64_t kMaxPageSize = 500;
inline constexpr int64_t kDefaultPageSize = 50;
std::string EncodeCursor(const std::string& last_id);
// What a list is keyed by: ids (UUIDv7, checked as such) or keys chosen
// by people (tenants: any text up to kMaxCursorKeyBytes; only ever
// compared, never interpreted).
enum class CursorKey { kId, kName };
inline constexpr size_t kMaxCursorKeyBytes = 256;
// kInvalidArgument "bad-query-parameter" for anything this API did not
// hand out.
Status DecodeCursor(const std::string& cursor, PageRequest* page,
                    CursorKey key = CursorKey::kId);
// Reads ?limit and ?cursor into `page` (call before query.Finish(), then
// FinishPage after it).
struct PageParams {
  std::optional<int64_t> limit;
  std::optional<std::string> cursor;
};
void ReadPageParams(QueryReader& query, PageParams* params);
Status FinishPage(const PageParams& params, PageRequest* page,
                  CursorKey key = CursorKey::kId);
// 200 with {"items": [...], "next_cursor": token or null}.
template <typename T, typename ToJsonFn>
ApiResponse PageResponse(const Page<T>& page, ToJsonFn to_json) {
  boost::json::array out;
  for (const T& item : page.items) out.push_back(to_json(item));
  return JsonResponse(boost::json::object{
      {"items", std::move(out)},
      {"next_cursor", page.next_after_id ? boost::json::value(EncodeCursor(
                                               *page.next_after_id))
                                         : boost::json::value(nullptr)}});
}

// 200 with {"items": [to_json(item), ...]}, in the order of `items`.
template <typename T, typename ToJsonFn>
ApiResponse ItemsResponse(const std::vector<T>& items, ToJsonFn to_json) {
  boost::json::array out;
  for (const T& item : items) out.push_back(to_json(item));
  return JsonResponse(boost::json::object{{"items", std::move(out)}});
}

// Optimistic concurrency (RFC 9110 sections 8.8.3 and 13.1.1): a resource's
// ETag is its version, and a write may name the version it expects.
//
// The version of an If-Match header: "7", 7 or W/"7" (a list or "*" is not
// supported); nullopt when the header is absent. Anything else is
// kInvalidArgument "bad-header": "If-Match must be the <resource>'s version,
// e.g. \"3\"".
Result<std::optional<int64_t>> IfMatchVersion(
    const ApiRequest& request, std::string_view resource = "resource");

// `status` with `body` and the strong ETag "\"<version>\"".
ApiResponse VersionedResponse(const boost::json::object& body, int64_t version,
                              int status = 200);
// 201 with `body`, the ETag of `version` and the new resource's Location.
ApiResponse CreatedResponse(const boost::json::object& body, int64_t version,
                            std::string location);

// RFC 3339 UTC text, or null when absent.
boost::json::value TimeOrNull(const std::optional<Timestamp>& time);
// The text, or null when it is empty.
boost::json::value EmptyAsNull(const std::string& text);

// A query parameter that takes one of two words, e.g.
// {"stale", "true", "false"} or {"status", "active", "all", true}. Read as
// a bool: true for `first`, false for `second`, `absent` when not given.
struct TwoWordParam {
  std::string_view name;
  std::string_view first;
  std::string_view second;
  bool absent = false;
};

// Reads `param` through `query`. Any other word fails `query` ("query
// parameter \"<name>\" must be <first> or <second>", problem
// "bad-query-parameter"; reported by QueryReader::Finish).
bool ReadTwoWordParam(QueryReader& query, const TwoWordParam& param);

// The same for a value read as a string and checked only after
// QueryReader::Finish (so an unknown parameter is reported first). Any
// other word is kInvalidArgument "invalid-value": "<name>: must be <first>
// or <second>".
Result<bool> CheckTwoWordParam(const TwoWordParam& param,
                               const std::optional<std::string>& value);

}  // namespace warden::api

#endif  // WARDEN_API_ROUTE_GLUE_H_
