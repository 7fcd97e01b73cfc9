// Routes of console sign-in: the session itself (sign in with a password,
// read it back with its CSRF token, sign out) and users' own credentials
// (password, TOTP enrollment). The OpenID Connect routes live beside them.
#ifndef WARDEN_API_SESSION_ROUTES_H_
#define WARDEN_API_SESSION_ROUTES_H_

#include "http/router.h"
#include "signin/sign_in_service.h"
#include "signin/user_credential_service.h"

namespace warden::api {

struct SessionServices {
  signin::SignInService& sign_in;
  signin::UserCredentialService& credentials;
  // False only for plain http on a loopback address, where a browser would
  // drop a Secure cookie.
  bool secure_cookies = true;
};

void AddSessionRoutes(Router& router, const SessionServices& services);

// The JSON answer of a sign-in and of GET /v1/session.
boost::json::object SignedInJson(const signin::SignedIn& signed_in);

}  // namespace warden::api

#endif  // WARDEN_API_SESSION_ROUTES_H_
