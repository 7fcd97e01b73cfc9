// OidcTokenResponse: the token endpoint's answer to an authorization code
// exchange (RFC 6749 sections 5.1 and 5.2, OpenID Connect Core 3.1.3.3).
//
// Parse() takes the HTTP status and body: a 200 with a JSON object holding
// a string "id_token" is a success; an error object ("error", optional
// "error_description") becomes kUnauthenticated with problem
// "oidc-code-exchange" naming the provider's error code (its description is
// cut to 200 characters and never echoed verbatim beyond that); anything
// else is kUnavailable. The access and refresh tokens are not kept: Warden
// only needs to know who signed in.
//
// Thread-safety: pure function.
#ifndef WARDEN_TOKENS_OIDC_TOKEN_RESPONSE_H_
#define WARDEN_TOKENS_OIDC_TOKEN_RESPONSE_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::tokens {

struct OidcTokenResponse {
  std::string id_token;

  static Result<OidcTokenResponse> Parse(unsigned http_status,
                                         std::string_view body);
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_OIDC_TOKEN_RESPONSE_H_
