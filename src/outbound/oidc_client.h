// OidcClient: the network side of an OpenID Connect relying party (OpenID
// Connect Core 1.0 section 3.1, Discovery 1.0 section 4): reading the
// provider's configuration document and key set, and the authorization code
// exchange at its token endpoint. What the documents mean (parsing,
// validation, caching) is the caller's: signin::OidcRelyingParty with the
// parsers of src/tokens.
//
// Every call is one bounded exchange (outbound/http_exchange.h): https, or
// plain http on loopback only; no redirects; bodies and time bounded by
// OidcClientLimits. The client secret is sent as the provider's metadata
// asks (HTTP Basic by default, RFC 6749 section 2.3.1, or in the form
// body) and never appears in messages.
//
// Errors: kInvalidArgument (bad URL, oversize body), kUnavailable (network,
// TLS, timeout, a non-200 document), each naming the URL without query.
//
// Thread-safety: immutable after construction; calls may run concurrently.
// Methods are virtual so tests can substitute a provider.
#ifndef WARDEN_OUTBOUND_OIDC_CLIENT_H_
#define WARDEN_OUTBOUND_OIDC_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "outbound/http_exchange.h"

namespace warden::outbound {

struct OidcClientLimits {
  // Configuration documents are a few KiB, key sets ~10 KiB, token
  // responses hold a few tokens: 256 KiB bounds what a provider (or whoever
  // answers in its name) can make us read.
  size_t max_body_bytes = 256 * 1024;
  size_t max_header_bytes = 16 * 1024;
  // A sign-in waits on these calls: a slow provider fails the sign-in
  // rather than holding a server thread.
  std::chrono::milliseconds timeout{5000};
};

// RFC 6749 section 4.1.3 with RFC 7636 section 4.5.
struct CodeExchange {
  std::string token_endpoint;
  bool client_secret_basic = true;  // else client_secret_post
  std::string client_id;
  std::string client_secret;
  std::string code;
  std::string redirect_uri;
  std::string code_verifier;
};

class OidcClient {
 public:
  explicit OidcClient(OidcClientLimits limits = {}) : limits_(limits) {}
  virtual ~OidcClient() = default;

  // The body of a 200 answer to GET `url`; `what` names it in errors
  // ("provider metadata", "jwks_uri").
  virtual Result<std::string> FetchDocument(const std::string& url,
                                            std::string_view what) const;

  // POSTs the code exchange form; returns the answer whatever its status
  // (the error body of a 400 says why: tokens::OidcTokenResponse parses it).
  virtual Result<HttpAnswer> ExchangeCode(const CodeExchange& exchange) const;

  const OidcClientLimits& limits() const { return limits_; }

 private:
  const OidcClientLimits limits_;
};

// application/x-www-form-urlencoded encoding of one value (WHATWG URL
// "application/x-www-form-urlencoded serializer": unreserved bytes as they
// are, space as '+', everything else %XX).
std::string FormUrlEncode(std::string_view value);

}  // namespace warden::outbound

#endif  // WARDEN_OUTBOUND_OIDC_CLIENT_H_
