// The web console's routes: the single-page application served by
// `warden serve` itself, from files embedded at build time.
//
//   GET /ui                 308 to /ui/
//   GET /ui/                index.html, Cache-Control: no-cache
//   GET /ui/assets/{file}   a content-hashed bundle, cached for a year
//                           (immutable); 404 problem+json for any other name
//
// All are public (the page signs in through /v1/session) and answered
// inline from static memory. Every answer carries the console's security
// headers: a strict Content-Security-Policy (same-origin script, style,
// images, fonts and fetches only; no inline script or style; no framing),
// X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer and
// X-Frame-Options: DENY.
#ifndef WARDEN_WEB_CONSOLE_ROUTES_H_
#define WARDEN_WEB_CONSOLE_ROUTES_H_

#include "http/router.h"

namespace warden::web {

// The Content-Security-Policy of every console response.
inline constexpr char kConsoleContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Registers the routes above on `router` (setup only, like Router::Add).
void AddConsoleRoutes(Router& router);

}  // namespace warden::web

#endif  // WARDEN_WEB_CONSOLE_ROUTES_H_
