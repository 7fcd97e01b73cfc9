// The console session's cookie value and what is derived from it.
//
//   cookie value = "wss_" + base64url(32 random bytes)   (256 bits)
//   stored id    = hex SHA-256 of the cookie value        (as API tokens)
//   CSRF token   = base64url(HMAC-SHA-256(cookie value, "warden-csrf"))
//
// The CSRF token is a synchronizer token the page reads from the session's
// JSON and sends back in X-CSRF-Token; it is derived, not stored, so any
// replica can check it, and it cannot be computed without the HttpOnly
// cookie a cross-site page never sees.
//
// Pure functions; thread-safe.
#ifndef WARDEN_SIGNIN_SESSION_SECRET_H_
#define WARDEN_SIGNIN_SESSION_SECRET_H_

#include <chrono>
#include <string>
#include <string_view>

namespace warden::signin {

inline constexpr char kSessionCookieName[] = "warden_session";
inline constexpr char kSessionCookiePrefix[] = "wss_";

std::string NewSessionCookieValue();
// False for values that cannot be a session cookie (never reaches the store).
bool IsPlausibleSessionCookie(std::string_view value);
std::string SessionIdHash(std::string_view cookie_value);
std::string CsrfTokenFor(std::string_view cookie_value);

// The Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Max-Age of the
// session's remaining lifetime, and Secure unless `secure` is false (plain
// http on a loopback address, where browsers would drop a Secure cookie).
std::string SessionCookieHeader(std::string_view cookie_value,
                                std::chrono::seconds max_age, bool secure);
// The Set-Cookie value that removes the cookie.
std::string ClearedSessionCookieHeader(bool secure);

}  // namespace warden::signin

#endif  // WARDEN_SIGNIN_SESSION_SECRET_H_
