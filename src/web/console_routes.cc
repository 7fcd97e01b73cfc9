#include "web/console_routes.h"

#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "http/api_exchange.h"
#include "http/problem.h"
#include "web/console_assets.h"

namespace warden::web {
namespace {

constexpr std::string_view kIndexPath = "index.html";
constexpr std::string_view kAssetPrefix = "assets/";
// index.html names the hashed bundles, so it must be revalidated; the
// bundles never change under their name (RFC 8246 immutable).
constexpr char kIndexCacheControl[] = "no-cache";
constexpr char kAssetCacheControl[] = "public, max-age=31536000, immutable";

void AddSecurityHeaders(ApiResponse& response) {
  response.headers.emplace_back("Content-Security-Policy",
                                kConsoleContentSecurityPolicy);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
}

const ConsoleAsset* FindAsset(std::string_view path) {
  for (const ConsoleAsset& asset : ConsoleAssets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

ApiResponse AssetResponse(const ConsoleAsset& asset,
                          const char* cache_control) {
  ApiResponse response;
  response.content_type = std::string(asset.content_type);
  response.body.assign(reinterpret_cast<const char*>(asset.data), asset.size);
  response.headers.emplace_back("Cache-Control", cache_control);
  AddSecurityHeaders(response);
  return response;
}

// The path of the target without its query ("/ui/?x" -> "/ui/").
std::string_view TargetPath(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// GET /ui and GET /ui/ share one route (the router ignores a trailing
// slash); only the latter serves the page, so that the bundles' relative
// URLs and the hash routes resolve under /ui/.
Result<ApiResponse> HandleIndex(const ApiRequest& request) {
  if (TargetPath(request.target) != "/ui/") {
    ApiResponse response;
    response.status = 308;
    response.content_type.clear();
    response.headers.emplace_back("Location", "/ui/");
    AddSecurityHeaders(response);
    return response;
  }
  const ConsoleAsset* index = FindAsset(kIndexPath);
  if (index == nullptr) return NotFound("the console has no index.html");
  return AssetResponse(*index, kIndexCacheControl);
}

Result<ApiResponse> HandleAsset(const ApiRequest& request) {
  auto file = request.path_params.find("file");
  std::string path(kAssetPrefix);
  if (file != request.path_params.end()) path += file->second;
  const ConsoleAsset* asset = FindAsset(path);
  if (asset == nullptr) {
    ApiResponse missing = ProblemResponse(
        NotFound("no console asset \"" + path.substr(0, 128) + "\""),
        request.request_id, TargetPath(request.target).substr(0, 256));
    AddSecurityHeaders(missing);
    return missing;
  }
  return AssetResponse(*asset, kAssetCacheControl);
}

Route ConsoleRoute(std::string pattern, RouteHandler handler) {
  Route route;
  route.method = "GET";
  route.pattern = std::move(pattern);
  route.access = RouteAccess::kPublic;
  route.cost = RouteCost::kInline;
  route.handler = std::move(handler);
  return route;
}

}  // namespace

void AddConsoleRoutes(Router& router) {
  router.Add(ConsoleRoute("/ui", HandleIndex));
  router.Add(ConsoleRoute("/ui/assets/{file}", HandleAsset));
}

}  // namespace warden::web
