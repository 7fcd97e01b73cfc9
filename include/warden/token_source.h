// Warden token source: obtains OAuth 2.0 access tokens for a workload
// identity (client_credentials with client_secret_basic), caches them and
// refreshes them before they expire.
//
//   warden::TokenSourceOptions options;
//   options.url = "http://127.0.0.1:8080";
//   options.client_id = identity_id;
//   options.client_secret = secret;  // from POST
//   /v1/identities/{id}/credentials options.scope = "orders:read"; auto source
//   = warden::TokenSource::Create(options); std::string token =
//   source->Token();  // "" on failure: see last_error()
//
// A cached token is returned while more than the refresh margin of its
// lifetime remains: min(refresh_before, lifetime / 2). Past that point the
// next Token() call fetches a new one; concurrent callers wait for that one
// fetch instead of each asking the server. When the refresh fails and the
// cached token has not expired yet, it is still returned (the failure shows
// in last_error()).
//
// Thread-safety: every method may be called from any thread.
#ifndef WARDEN_TOKEN_SOURCE_H_
#define WARDEN_TOKEN_SOURCE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace warden {

struct TokenSourceOptions {
  std::string url;  // "http://HOST:PORT" (plain HTTP; TLS via a proxy)
  std::string client_id;
  std::string client_secret;  // SECRET: never logged
  std::string scope;          // "" = every granted scope
  std::string tenant;         // "" = not tenant-bound
  std::string audience;       // "" = Warden's issuer
  std::chrono::seconds refresh_before{60};
  std::chrono::milliseconds timeout{5000};
  // Test seam: the clock that decides when to refresh.
  std::function<std::chrono::system_clock::time_point()> now;
};

class TokenSource {
 public:
  static std::unique_ptr<TokenSource> Create(TokenSourceOptions options);
  virtual ~TokenSource() = default;

  // A valid access token, or "" when none could be obtained.
  virtual std::string Token() = 0;
  // Drops the cached token (e.g. after a resource server answered 401).
  virtual void Invalidate() = 0;
  virtual std::string last_error() const = 0;
  // How many token requests were sent (for tests and metrics).
  virtual int fetches() const = 0;
};

}  // namespace warden

#endif  // WARDEN_TOKEN_SOURCE_H_
