// The HTTP exchange as the routing and handler code sees it: plain values,
// independent of Beast, so handlers are pure functions that are easy to test
// and cheap to compile. http_session.cc converts to and from Beast messages.
#ifndef WARDEN_HTTP_API_EXCHANGE_H_
#define WARDEN_HTTP_API_EXCHANGE_H_

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/caller.h"

namespace warden {

class ResponseStream;      // http/response_stream.h
struct ClientCertificate;  // http/client_certificate.h

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request target, e.g. "/v1/identities?limit=5"
  std::string authorization;  // Authorization header, or empty
  std::string if_match;       // If-Match header, or empty
  std::string if_none_match;  // If-None-Match header, or empty
  std::string api_key;        // X-API-Key header (OFREP), or empty
  std::string last_event_id;  // Last-Event-ID header (SSE resume), or empty
  std::string user_agent;     // User-Agent header, or empty
  std::string cookie;         // Cookie header (console sessions), or empty
  std::string csrf_token;     // X-CSRF-Token header, or empty
  // X-Request-ID sent by the client (AuthZEN 1.0, "Request
  // Identification"): adopted as request_id when well formed.
  std::string client_request_id;
  std::string body;
  std::string remote;  // peer "ip:port"
  // The verified certificate the client presented in the TLS handshake
  // (mutual TLS, --tls-client-ca); null on plain HTTP or without one.
  std::shared_ptr<const ClientCertificate> client_certificate;
  std::string request_id;  // assigned on arrival
  // False while the handler runs on an I/O thread (it must not block; see
  // RouteCost::kInlineFirst); true on the worker pool and wherever a
  // request is handled synchronously (tests, benchmarks).
  bool may_block = true;

  // Filled in by the pipeline before the handler runs.
  std::map<std::string, std::string, std::less<>> path_params;  // decoded
  std::vector<std::pair<std::string, std::string>> query;       // decoded
  Caller caller;  // authenticated routes only
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set by streaming handlers (GET /v1/stream): after the status line and
  // headers, the connection is handed to this object and never returns to
  // request/response mode. `body` is ignored.
  std::shared_ptr<ResponseStream> stream;
};

// 200 (or `status`) with the serialised JSON value.
ApiResponse JsonResponse(const boost::json::value& value, int status = 200);

// The first value of query parameter `name`, or nullopt when absent.
std::optional<std::string_view> QueryParameter(const ApiRequest& request,
                                               std::string_view name);

// The credential of an "Authorization: Bearer <token>" header (RFC 6750
// section 2.1; the scheme is case-insensitive), or "" for any other header.
// A header that is a Warden API token alone (kApiTokenPrefix, no scheme)
// is read as one too: AuthZEN enforcement points, the interop suite's
// among them, send their API key as the whole header value.
std::string_view BearerCredential(std::string_view authorization);

}  // namespace warden

#endif  // WARDEN_HTTP_API_EXCHANGE_H_
