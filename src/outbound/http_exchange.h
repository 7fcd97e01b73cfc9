// HttpExchange: one bounded HTTP/1.1 request (RFC 9110, RFC 9112) over TCP
// or TLS, with the answer's status and body: the transport the JWKS fetcher
// and the OpenID Connect client share.
//
// The whole exchange (resolve, connect, TLS handshake, request, response)
// must finish within `timeout`; the answer's body may not exceed
// `max_body_bytes`, its headers `max_header_bytes`; redirects are not
// followed (a 3xx is returned as any other status). https verifies the peer
// against the system trust store and the host name (SNI sent). Plain http is
// accepted only for loopback hosts (127.0.0.0/8, ::1, localhost), where no
// one can sit on the path. Caveat: name resolution runs getaddrinfo on
// asio's resolver thread, which cannot be interrupted; a hung system
// resolver can hold the call past `timeout` (IP-literal URLs never resolve).
//
// Errors name `what` (e.g. "jwks_uri") and the URL without userinfo or
// query: kInvalidArgument for a bad URL or an oversize body, kUnavailable
// for the network, TLS and the timeout. Exceptions never escape.
//
// Thread-safety: a free function; each call uses its own io_context.
#ifndef WARDEN_OUTBOUND_HTTP_EXCHANGE_H_
#define WARDEN_OUTBOUND_HTTP_EXCHANGE_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "outbound/webhook_sender.h"

namespace warden::outbound {

struct HttpExchangeLimits {
  size_t max_body_bytes = 256 * 1024;
  size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds timeout{5000};
};

struct HttpRequest {
  enum class Method { kGet, kPost };
  Method method = Method::kGet;
  std::string url;                  // "https://..." (or loopback "http://")
  std::vector<HttpHeader> headers;  // besides Host and User-Agent
  std::string content_type;         // POST only
  std::string body;                 // POST only
};

struct HttpAnswer {
  unsigned status = 0;
  std::string body;
};

Result<HttpAnswer> ExchangeHttp(const HttpRequest& request,
                                const HttpExchangeLimits& limits,
                                std::string_view what);

// The URL as messages, audit details and logs may show it: scheme, host,
// port and path; userinfo and query (where credentials hide) left out.
// "(not shown)" when it does not parse.
std::string RedactedUrl(std::string_view url);

}  // namespace warden::outbound

#endif  // WARDEN_OUTBOUND_HTTP_EXCHANGE_H_
