// JwksFetcher: reads a trusted issuer's JWKS document from a file or an
// http(s) URL, under named limits, for token exchange (RFC 8693) key sets
// that live outside Warden's configuration.
//
// A URL fetch is one bounded GET: the whole exchange (resolve, connect, TLS
// handshake, request, response) must finish within `timeout`; the body may
// not exceed `max_bytes`; redirects are not followed (a 3xx is an error);
// the status must be 200. https verifies the peer against the system trust
// store and the host name. Only the document text is returned; callers
// parse it with tokens::Jwks::Parse (the fuzzed parser). Caveat: name
// resolution runs getaddrinfo on asio's resolver thread, which cannot be
// interrupted; a hung system resolver can hold the call past `timeout`
// (IP-literal URIs never resolve).
//
// Errors are kUnavailable (network, TLS, timeout, status) or
// kInvalidArgument (bad URL, oversize body, unreadable file), each naming
// the source and the reason; exceptions never escape.
//
// Thread-safety: immutable after construction; Fetch() may be called from
// any thread (each call uses its own io_context).
#ifndef WARDEN_OUTBOUND_JWKS_FETCHER_H_
#define WARDEN_OUTBOUND_JWKS_FETCHER_H_

#include <chrono>
#include <cstddef>
#include <string>

#include "core/status.h"

namespace warden::outbound {

struct JwksFetchLimits {
  // A JWKS of a few dozen keys is ~10 KiB; 256 KiB bounds what an issuer
  // (or whoever answers in its name) can make us read and parse.
  size_t max_bytes = 256 * 1024;
  // Headers of a JWKS response are small; bounds a hostile server.
  size_t max_header_bytes = 16 * 1024;
  // The whole exchange; a slow issuer must not hold a refresh for long.
  std::chrono::milliseconds timeout{5000};
};

class JwksFetcher {
 public:
  explicit JwksFetcher(JwksFetchLimits limits = {}) : limits_(limits) {}
  virtual ~JwksFetcher() = default;

  // The body of a 200 answer to GET `uri` ("http://" or "https://").
  virtual Result<std::string> FetchUri(const std::string& uri) const;
  // The content of the file at absolute `path` (at most max_bytes).
  virtual Result<std::string> ReadFile(const std::string& path) const;

  const JwksFetchLimits& limits() const { return limits_; }

 private:
  const JwksFetchLimits limits_;
};

}  // namespace warden::outbound

#endif  // WARDEN_OUTBOUND_JWKS_FETCHER_H_
