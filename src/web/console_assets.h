// The web console's files, embedded in the binary at build time (the
// generated console_assets.cc, written by embed_assets.cmake from the
// esbuild output, or from placeholder/ when the bundle was not built).
//
// Thread-safety: the table is immutable static data; any thread may read it.
#ifndef WARDEN_WEB_CONSOLE_ASSETS_H_
#define WARDEN_WEB_CONSOLE_ASSETS_H_

#include <cstddef>
#include <span>
#include <string_view>

namespace warden::web {

struct ConsoleAsset {
  std::string_view path;          // relative to /ui/, e.g. "index.html"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  const unsigned char* data;      // `size` bytes, static storage
  std::size_t size;
};

// Every embedded file: "index.html" and the content-hashed
// "assets/<name>-<hash>.<ext>" files it loads.
std::span<const ConsoleAsset> ConsoleAssets();

}  // namespace warden::web

#endif  // WARDEN_WEB_CONSOLE_ASSETS_H_
