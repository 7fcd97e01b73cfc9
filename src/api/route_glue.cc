#include "api/route_glue.h"

#include "core/crypto.h"
#include "core/id.h"
#include "core/time_format.h"
#include "http/json_reader.h"

namespace warden::api {

const std::string& PathParam(const ApiRequest& request, std::string_view name) {
  static const std::string kEmpty;
  auto it = request.path_params.find(name);
  return it == request.path_params.end() ? kEmpty : it->second;
}

Result<Environment> PathEnvironment(const ApiRequest& request) {
  const std::string& text = PathParam(request, "environment");
  std::optional<Environment> env = ParseEnvironment(text);
  if (env) return *env;
  return NotFound("environment \"" + text.substr(0, 64) +
                  "\" does not exist; environments are " +
                  AllowedEnvironments());
}

ApiResponse NoContent() {
  ApiResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

Result<boost::json::object> JsonBodyOrEmpty(const ApiRequest& request) {
  if (request.body.empty()) return boost::json::object();
  return ParseJsonObject(request.body);
}

Result<std::optional<int64_t>> IfMatchVersion(const ApiRequest& request,
                                              std::string_view resource) {
  if (request.if_match.empty()) return std::optional<int64_t>();
  std::string_view text = request.if_match;
  if (text.substr(0, 2) == "W/") text.remove_prefix(2);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  // At most 18 digits, so the value cannot overflow int64_t.
  int64_t version = 0;
  bool digits = !text.empty() && text.size() <= 18;
  for (char c : text) {
    digits = digits && c >= '0' && c <= '9';
    if (digits) version = version * 10 + (c - '0');
  }
  if (!digits) {
    return InvalidArgument("If-Match must be the " + std::string(resource) +
                               "'s version, e.g. \"3\"",
                           "bad-header");
  }
  return std::optional<int64_t>(version);
}

ApiResponse VersionedResponse(const boost::json::object& body, int64_t version,
                              int status) {
  ApiResponse response = JsonResponse(body, status);
  response.headers.emplace_back("ETag", "\"" + std::to_string(version) + "\"");
  return response;
}

ApiResponse CreatedResponse(const boost::json::object& body, int64_t version,
                            std::string location) {
  ApiResponse response = VersionedResponse(body, version, 201);
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

boost::json::value TimeOrNull(const std::optional<Timestamp>& time) {
  if (!time) return nullptr;
  return boost::json::value(FormatRfc3339(*time));
}

boost::json::value EmptyAsNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::value(text);
}

bool ReadTwoWordParam(QueryReader& query, const TwoWordParam& param) {
  std::optional<std::string> word;
  query.String(param.name, &word);
  if (!word) return param.absent;
  if (*word != param.first && *word != param.second) {
    query.Fail(param.name, "must be " + std::string(param.first) + " or " +
                               std::string(param.second));
  }
  return *word == param.first;
}

Result<bool> CheckTwoWordParam(const TwoWordParam& param,
                               const std::optional<std::string>& value) {
  if (!value) return param.absent;
  if (*value != param.first && *value != param.second) {
    return InvalidArgument(std::string(param.name) + ": must be " +
                               std::string(param.first) + " or " +
                               std::string(param.second),
                           "invalid-value");
  }
  return *value == param.first;
}

std::string EncodeCursor(const std::string& last_id) {
  return Base64UrlEncode(last_id);
}

Status DecodeCursor(const std::string& cursor, PageRequest* page,
                    CursorKey key) {
  Result<std::string> id = Base64UrlDecode(cursor);
  const bool well_formed =
      id.ok() && (key == CursorKey::kId
                      ? IsWellFormedId(*id)
                      : !id->empty() && id->size() <= kMaxCursorKeyBytes);
  if (!well_formed) {
    return InvalidArgument(
        "query parameter \"cursor\" is not a cursor "
        "returned by this API",
        "bad-query-parameter");
  }
  page->after_id = *id;
  return Status::Ok();
}

void ReadPageParams(QueryReader& query, PageParams* params) {
  query.Int("limit", &params->limit, 1, kMaxPageSize);
  query.String("cursor", &params->cursor);
}

Status FinishPage(const PageParams& params, PageRequest* page, CursorKey key) {
  page->limit = static_cast<int>(params.limit.value_or(kDefaultPageSize));
  if (params.cursor) return DecodeCursor(*params.cursor, page, key);
  return Status::Ok();
}

}  // namespace warden::api
