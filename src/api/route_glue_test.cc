// The route helpers every /v1 handler shares. Their error messages and
// problem slugs are part of the API, so they are pinned here word for word.
#include "api/route_glue.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace warden::api {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

ApiRequest WithIfMatch(std::string header) {
  ApiRequest request;
  request.if_match = std::move(header);
  return request;
}

std::string Header(const ApiResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

TEST(RouteGlueTest, BindPassesTheServiceAndExtraArguments) {
  int calls = 0;
  auto handler = [](int& service, bool flag,
                    const ApiRequest& request) -> Result<ApiResponse> {
    ++service;
    ApiResponse response;
    response.body = request.body + (flag ? "+" : "-");
    return response;
  };
  RouteHandler bound = Bind(calls, +handler, true);
  ApiRequest request;
  request.body = "x";
  Result<ApiResponse> response = bound(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, "x+");
  EXPECT_EQ(calls, 1);
}

TEST(RouteGlueTest, PathParamAndNoContent) {
  ApiRequest request;
  request.path_params["id"] = "abc";
  EXPECT_EQ(PathParam(request, "id"), "abc");
  EXPECT_EQ(PathParam(request, "name"), "");
  ApiResponse empty = NoContent();
  EXPECT_EQ(empty.status, 204);
  EXPECT_EQ(empty.content_type, "");
  EXPECT_EQ(empty.body, "");
}

TEST(RouteGlueTest, ItemsResponseKeepsOrder) {
  ApiResponse response = ItemsResponse(
      std::vector<int>{3, 1}, [](int n) { return boost::json::value(n * 2); });
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"items":[6,2]})");
}

TEST(RouteGlueTest, JsonBodyOrEmpty) {
  ApiRequest request;
  Result<boost::json::object> empty = JsonBodyOrEmpty(request);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  request.body = R"({"note":"n"})";
  Result<boost::json::object> note = JsonBodyOrEmpty(request);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->at("note").as_string(), "n");
  request.body = "[]";
  EXPECT_EQ(JsonBodyOrEmpty(request).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(RouteGlueTest, IfMatchVersionForms) {
  for (const char* header : {"7", "\"7\"", "W/\"7\""}) {
    Result<std::optional<int64_t>> version =
        IfMatchVersion(WithIfMatch(header));
    ASSERT_TRUE(version.ok()) << header;
    EXPECT_EQ(*version, std::optional<int64_t>(7)) << header;
  }
  Result<std::optional<int64_t>> absent = IfMatchVersion(WithIfMatch(""));
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST(RouteGlueTest, IfMatchVersionRefusals) {
  for (const char* header :
       {"*", "\"a\"", "\"\"", "1, 2", "1234567890123456789", "W/"}) {
    Status status = IfMatchVersion(WithIfMatch(header)).status();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << header;
    EXPECT_EQ(status.problem(), "bad-header");
    EXPECT_EQ(status.message(),
              "If-Match must be the resource's version, e.g. \"3\"");
  }
  EXPECT_EQ(IfMatchVersion(WithIfMatch("x"), "identity").status().message(),
            "If-Match must be the identity's version, e.g. \"3\"");
}

TEST(RouteGlueTest, VersionedAndCreatedResponses) {
  ApiResponse ok = VersionedResponse({{"a", 1}}, 7);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"a":1})");
  EXPECT_EQ(Header(ok, "ETag"), "\"7\"");
  ApiResponse created = CreatedResponse({{"a", 1}}, 1, "/v1/things/a");
  EXPECT_EQ(created.status, 201);
  ASSERT_EQ(created.headers.size(), 2u);
  EXPECT_EQ(created.headers[0].first, "ETag");
  EXPECT_EQ(created.headers[0].second, "\"1\"");
  EXPECT_EQ(created.headers[1].first, "Location");
  EXPECT_EQ(created.headers[1].second, "/v1/things/a");
}

TEST(RouteGlueTest, OptionalValuesAsNull) {
  EXPECT_TRUE(TimeOrNull(std::nullopt).is_null());
  EXPECT_TRUE(TimeOrNull(Timestamp{}).is_string());
  EXPECT_TRUE(EmptyAsNull("").is_null());
  EXPECT_EQ(EmptyAsNull("x").as_string(), "x");
}

TEST(RouteGlueTest, ReadTwoWordParam) {
  const TwoWordParam kStale{"stale", "true", "false"};
  const TwoWordParam kStatus{"status", "active", "all", /*absent=*/true};
  {
    Params params;
    QueryReader query(params);
    EXPECT_FALSE(ReadTwoWordParam(query, kStale));
    EXPECT_TRUE(ReadTwoWordParam(query, kStatus));
    EXPECT_TRUE(query.Finish().ok());
  }
  {
    Params params{{"stale", "true"}, {"status", "all"}};
    QueryReader query(params);
    EXPECT_TRUE(ReadTwoWordParam(query, kStale));
    EXPECT_FALSE(ReadTwoWordParam(query, kStatus));
    EXPECT_TRUE(query.Finish().ok());
  }
  {
    Params params{{"status", "some"}};
    QueryReader query(params);
    ReadTwoWordParam(query, kStatus);
    Status error = query.Finish();
    EXPECT_EQ(error.problem(), "bad-query-parameter");
    EXPECT_EQ(error.message(),
              "query parameter \"status\" must be active or all");
  }
}

TEST(RouteGlueTest, CheckTwoWordParam) {
  const TwoWordParam kFormat{"format", "pem", "der", /*absent=*/true};
  EXPECT_TRUE(*CheckTwoWordParam(kFormat, std::nullopt));
  EXPECT_TRUE(*CheckTwoWordParam(kFormat, "pem"));
  EXPECT_FALSE(*CheckTwoWordParam(kFormat, "der"));
  Status error = CheckTwoWordParam(kFormat, "xml").status();
  EXPECT_EQ(error.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(error.problem(), "invalid-value");
  EXPECT_EQ(error.message(), "format: must be pem or der");
}

}  // namespace
}  // namespace warden::api
