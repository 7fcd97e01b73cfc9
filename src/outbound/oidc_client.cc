// OpenID Connect Core 1.0 sections 3.1.3.1 (token request) and 9 (client
// authentication); RFC 6749 sections 2.3.1 and 4.1.3; RFC 7636 section 4.5.
#include "outbound/oidc_client.h"

#include "core/base64.h"

namespace warden::outbound {
namespace {

HttpExchangeLimits ExchangeLimits(const OidcClientLimits& limits) {
  HttpExchangeLimits out;
  out.max_body_bytes = limits.max_body_bytes;
  out.max_header_bytes = limits.max_header_bytes;
  out.timeout = limits.timeout;
  return out;
}

void AddField(std::string& form, std::string_view name,
              std::string_view value) {
  if (!form.empty()) form += '&';
  form += name;
  form += '=';
  form += FormUrlEncode(value);
}

}  // namespace

std::string FormUrlEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '*') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

Result<std::string> OidcClient::FetchDocument(const std::string& url,
                                              std::string_view what) const {
  HttpRequest request;
  request.url = url;
  request.headers.push_back({"Accept", "application/json"});
  WARDEN_ASSIGN_OR_RETURN(HttpAnswer answer,
                          ExchangeHttp(request, ExchangeLimits(limits_), what));
  if (answer.status != 200) {
    return Unavailable("GET " + RedactedUrl(url) + ": answered HTTP " +
                       std::to_string(answer.status) +
                       (answer.status >= 300 && answer.status < 400
                            ? " (redirects are not followed)"
                            : ""));
  }
  return std::move(answer.body);
}

Result<HttpAnswer> OidcClient::ExchangeCode(
    const CodeExchange& exchange) const {
  HttpRequest request;
  request.method = HttpRequest::Method::kPost;
  request.url = exchange.token_endpoint;
  request.content_type = "application/x-www-form-urlencoded";
  request.headers.push_back({"Accept", "application/json"});
  AddField(request.body, "grant_type", "authorization_code");
  AddField(request.body, "code", exchange.code);
  AddField(request.body, "redirect_uri", exchange.redirect_uri);
  AddField(request.body, "code_verifier", exchange.code_verifier);
  if (exchange.client_secret_basic) {
    // RFC 6749 section 2.3.1: both parts form-encoded before Basic.
    request.headers.push_back(
        {"Authorization",
         "Basic " + Base64Encode(FormUrlEncode(exchange.client_id) + ":" +
                                 FormUrlEncode(exchange.client_secret))});
  } else {
    AddField(request.body, "client_id", exchange.client_id);
    AddField(request.body, "client_secret", exchange.client_secret);
  }
  return ExchangeHttp(request, ExchangeLimits(limits_), "token_endpoint");
}

}  // namespace warden::outbound
