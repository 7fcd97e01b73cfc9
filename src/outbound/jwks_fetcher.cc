// Bounded HTTP/1.1 GET (RFC 9110) of a JSON Web Key Set (RFC 7517 section 5)
// over TCP or TLS (outbound/http_exchange.h), and the file variant.
#include "outbound/jwks_fetcher.h"

#include <fstream>

#include "outbound/http_exchange.h"

namespace warden::outbound {

Result<std::string> JwksFetcher::FetchUri(const std::string& uri) const {
  HttpRequest request;
  request.url = uri;
  request.headers.push_back(
      {"Accept", "application/jwk-set+json, application/json"});
  HttpExchangeLimits limits;
  limits.max_body_bytes = limits_.max_bytes;
  limits.max_header_bytes = limits_.max_header_bytes;
  limits.timeout = limits_.timeout;
  WARDEN_ASSIGN_OR_RETURN(HttpAnswer answer,
                          ExchangeHttp(request, limits, "jwks_uri"));
  if (answer.status != 200) {
    return Unavailable("GET " + RedactedUrl(uri) + ": answered HTTP " +
                       std::to_string(answer.status) +
                       (answer.status >= 300 && answer.status < 400
                            ? " (redirects are not followed)"
                            : ""));
  }
  return std::move(answer.body);
}

Result<std::string> JwksFetcher::ReadFile(const std::string& path) const {
  const std::string context = "jwks_file '" + path + "': ";
  if (path.empty() || path.front() != '/') {
    return InvalidArgument(context + "must be an absolute path",
                           "validation-failed");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return InvalidArgument(context + "cannot be read", "validation-failed");
  std::string text(limits_.max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad())
    return InvalidArgument(context + "read failed", "validation-failed");
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > limits_.max_bytes) {
    return InvalidArgument(
        context + "larger than " + std::to_string(limits_.max_bytes) + " bytes",
        "validation-failed");
  }
  return text;
}

}  // namespace warden::outbound
