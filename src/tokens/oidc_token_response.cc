// RFC 6749 sections 5.1 (successful response) and 5.2 (error response).
#include "tokens/oidc_token_response.h"

#include "tokens/jose_json.h"

namespace warden::tokens {
namespace {

// A token response holds a few tokens of a few KiB each.
constexpr size_t kMaxBodyBytes = 64 * 1024;
constexpr int kMaxJsonDepth = 4;
constexpr size_t kMaxEchoed = 200;

// RFC 6749 section 5.2: error codes are %x20-21 / %x23-5B / %x5D-7E; keep
// only those so the message is safe to log and show.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxEchoed)) {
    if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') out += c;
  }
  return out;
}

}  // namespace

Result<OidcTokenResponse> OidcTokenResponse::Parse(unsigned http_status,
                                                   std::string_view body) {
  if (body.size() > kMaxBodyBytes) {
    return Unavailable("token endpoint answer is larger than " +
                       std::to_string(kMaxBodyBytes) + " bytes");
  }
  auto doc = jose::ParseObject(body, kMaxJsonDepth, {}, "token response");
  if (!doc.ok()) {
    return Unavailable("token endpoint answered HTTP " +
                       std::to_string(http_status) + " without a JSON object");
  }
  auto error = jose::OptionalString(*doc, "error");
  if (error.ok() && error->has_value()) {
    auto description = jose::OptionalString(*doc, "error_description");
    std::string message =
        "the provider refused the code exchange: " + Printable(**error);
    if (description.ok() && description->has_value()) {
      message += " (" + Printable(**description) + ")";
    }
    return Status(StatusCode::kUnauthenticated, message, "oidc-code-exchange");
  }
  if (http_status != 200) {
    return Unavailable("token endpoint answered HTTP " +
                       std::to_string(http_status));
  }
  auto id_token = jose::OptionalString(*doc, "id_token");
  if (!id_token.ok() || !id_token->has_value() || (*id_token)->empty()) {
    return Status(StatusCode::kUnauthenticated,
                  "the token response has no id_token (is \"openid\" among "
                  "the client's allowed scopes?)",
                  "oidc-code-exchange");
  }
  OidcTokenResponse out;
  out.id_token = std::string(**id_token);
  return out;
}

}  // namespace warden::tokens
