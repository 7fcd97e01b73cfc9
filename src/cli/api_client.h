// A small synchronous HTTP/1.1 client for Warden's JSON API (RFC 9110,
// RFC 9112), on Boost.Beast. One connection per request: the CLI makes a
// handful of calls per invocation, so keep-alive would buy nothing.
//
// Errors are Status values, never exceptions: transport failures (cannot
// resolve, connect refused, timeout) are kUnavailable naming the URL; a
// non-2xx answer becomes the Status its RFC 9457 problem+json body describes
// (problem slug from `type`, message from `detail`).
//
// Thread safety: an ApiClient is immutable after Create(); Call() may be used
// from several threads, each call having its own connection.
#ifndef WARDEN_CLI_API_CLIENT_H_
#define WARDEN_CLI_API_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::cli {

enum class HttpMethod { kGet, kPost, kPut, kPatch, kDelete };

struct ApiClientOptions {
  std::string url;    // "http(s)://host[:port][/base]"
  std::string token;  // bearer token; empty sends no Authorization header
  // https: a PEM CA bundle trusted besides the system's (empty: the
  // system's only). The server's name or IP must match its certificate.
  std::string ca_file;
  // Bound on the whole exchange (resolve, connect, write, read), so a hung
  // server cannot hang a script.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

struct ApiResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Largest response body accepted: an audit export page or an identity list
// page stays far below this; anything bigger is a misbehaving server.
inline constexpr size_t kMaxResponseBytes = size_t{64} << 20;

class ApiClient {
 public:
  // Validates the URL. kInvalidArgument naming it when it is not an absolute
  // http URL with a host.
  static Result<std::unique_ptr<ApiClient>> Create(ApiClientOptions options);

  // Sends `method target` (target is "/v1/..." with its query string;
  // `json_body` is sent as application/json when non-empty). Returns the
  // raw answer whatever its status; kUnavailable on transport failure.
  // `if_match`, when non-empty, is sent as the If-Match header (RFC 9110
  // §13.1.1), e.g. "\"7\"" for optimistic concurrency.
  Result<ApiResponse> Send(HttpMethod method, std::string_view target,
                           std::string_view json_body = {},
                           std::string_view if_match = {}) const;

  // Send(), then: 2xx gives the body text; anything else the error Status
  // decoded from its problem+json body.
  Result<std::string> Call(HttpMethod method, std::string_view target,
                           std::string_view json_body = {},
                           std::string_view if_match = {}) const;

  const std::string& url() const { return options_.url; }

 private:
  ApiClient(ApiClientOptions options, bool tls, std::string host,
            std::string port, std::string base_path);

  // Immutable after construction.
  ApiClientOptions options_;
  bool tls_;  // https://
  std::string host_;
  std::string port_;
  std::string base_path_;  // without trailing '/', may be empty
};

// Decodes a non-2xx answer into a Status (exposed for tests).
Status StatusFromResponse(const ApiResponse& response);

}  // namespace warden::cli

#endif  // WARDEN_CLI_API_CLIENT_H_
