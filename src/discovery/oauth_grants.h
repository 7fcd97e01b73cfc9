// Reader of OAuth app grant exports: which third-party apps users have
// granted which scopes. The accepted JSON (docs/API.md, "OAuth grants
// export") is an array of grants or {"grants": [...]}, each
//   {"app": string (required), "app_id": string, "publisher": string,
//    "scopes": [string] | "space separated", "granted_by": string,
//    "granted_at": RFC 3339, "verified_publisher": bool,
//    "last_used_at": RFC 3339}
// and also Google Workspace's Directory API tokens.list response
// {"items": [{"clientId", "displayText", "scopes", "userKey",
//             "anonymous", "nativeApp"}]} (one file per user or merged).
//
// Observations, source "oauth": one kOAuthGrantKind per app, key
// "app_id-or-app|publisher", name = app, location "path:line" of its first
// grant; attributes publisher, scopes (sorted, unique, space separated),
// granted_by (sorted, unique, comma separated), granted_at (the earliest),
// last_used_at (the latest), verified_publisher ("true" if any grant says
// so, "false" if one says not, else empty), grants (how many were merged).
// Problems: invalid JSON is one issue at the line of the error offset; a
// grant without an app, or a field of the wrong type, is an issue at the
// grant's line and the other grants are read.
#ifndef WARDEN_DISCOVERY_OAUTH_GRANTS_H_
#define WARDEN_DISCOVERY_OAUTH_GRANTS_H_

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "discovery/observation.h"

namespace warden::discovery {

// An export of every grant of a large tenant stays well under this.
inline constexpr uint64_t kMaxOAuthGrantsBytes = 64 << 20;
// The accepted shapes nest four levels deep; allow slack, refuse bombs.
inline constexpr size_t kMaxOAuthGrantsDepth = 16;

// Reads every file of `path` (a file or a directory tree of *.json) and
// merges the grants of all of them. Never throws.
ScanReport ScanOAuthGrants(const std::filesystem::path& path,
                           const ProgressCallback& progress);

// Parses one export named `origin`, merging its grants into `report` with
// those already there (of source "oauth"). The fuzzing entry point.
void ParseOAuthGrants(std::string_view text, std::string_view origin,
                      ScanReport& report);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_OAUTH_GRANTS_H_
