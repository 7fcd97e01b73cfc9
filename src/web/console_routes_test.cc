#include "web/console_routes.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "http/api_exchange.h"
#include "http/router.h"
#include "web/console_assets.h"

namespace warden::web {
namespace {

class ConsoleRoutesTest : public ::testing::Test {
 protected:
  ConsoleRoutesTest() { AddConsoleRoutes(router_); }

  // Routes `target` like the pipeline does and runs the handler.
  ApiResponse Get(const std::string& target) {
    std::string path = target.substr(0, target.find('?'));
    RouteMatch match = router_.Match("GET", SplitPath(path));
    EXPECT_EQ(match.kind, RouteMatch::Kind::kFound) << target;
    if (match.kind != RouteMatch::Kind::kFound) return {};
    EXPECT_EQ(match.route->access, RouteAccess::kPublic);
    EXPECT_EQ(match.route->cost, RouteCost::kInline);
    ApiRequest request;
    request.method = "GET";
    request.target = target;
    request.request_id = "req-1";
    request.path_params = match.params;
    Result<ApiResponse> response = match.route->handler(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : ApiResponse{};
  }

  Router router_;
};

std::string Header(const ApiResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

void ExpectSecurityHeaders(const ApiResponse& response) {
  EXPECT_EQ(Header(response, "Content-Security-Policy"),
            kConsoleContentSecurityPolicy);
  EXPECT_EQ(Header(response, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(response, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(Header(response, "X-Frame-Options"), "DENY");
}

TEST_F(ConsoleRoutesTest, UiWithoutSlashRedirectsToTheConsole) {
  ApiResponse response = Get("/ui");
  EXPECT_EQ(response.status, 308);
  EXPECT_EQ(Header(response, "Location"), "/ui/");
  ExpectSecurityHeaders(response);
}

TEST_F(ConsoleRoutesTest, IndexIsServedUncachedWithTheSecurityHeaders) {
  ApiResponse response = Get("/ui/?from=bookmark");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_NE(response.body.find("<html"), std::string::npos);
  EXPECT_EQ(Header(response, "Cache-Control"), "no-cache");
  ExpectSecurityHeaders(response);
}

TEST_F(ConsoleRoutesTest, EveryEmbeddedAssetIsServedImmutable) {
  for (const ConsoleAsset& asset : ConsoleAssets()) {
    if (asset.path == "index.html") continue;
    ASSERT_TRUE(asset.path.starts_with("assets/")) << asset.path;
    ApiResponse response = Get("/ui/" + std::string(asset.path));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, asset.content_type);
    EXPECT_EQ(response.body.size(), asset.size);
    EXPECT_EQ(Header(response, "Cache-Control"),
              "public, max-age=31536000, immutable");
    ExpectSecurityHeaders(response);
  }
}

TEST_F(ConsoleRoutesTest, UnknownAssetIsProblemNotFound) {
  ApiResponse response = Get("/ui/assets/app-NOSUCHHASH.js");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_NE(response.body.find("urn:warden:problem:"), std::string::npos);
  EXPECT_NE(response.body.find("app-NOSUCHHASH.js"), std::string::npos);
  EXPECT_EQ(Header(response, "Cache-Control"), "");
  ExpectSecurityHeaders(response);
}

TEST_F(ConsoleRoutesTest, IndexLoadsNoInlineScriptOrStyle) {
  ApiResponse response = Get("/ui/");
  const std::string& html = response.body;
  EXPECT_EQ(html.find("<style"), std::string::npos);
  EXPECT_EQ(html.find("style=\""), std::string::npos);
  // Every <script> names a same-origin file.
  for (size_t at = html.find("<script"); at != std::string::npos;
       at = html.find("<script", at + 1)) {
    EXPECT_EQ(html.compare(at, 34, "<script type=\"module\" src=\"/ui/ass"), 0)
        << html.substr(at, 60);
  }
}

TEST_F(ConsoleRoutesTest, OnlyGetIsRouted) {
  RouteMatch match = router_.Match("POST", SplitPath("/ui/"));
  EXPECT_EQ(match.kind, RouteMatch::Kind::kMethodNotAllowed);
}

}  // namespace
}  // namespace warden::web
