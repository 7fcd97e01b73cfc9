#include "http/oauth_form.h"

#include <sodium.h>

namespace warden {
namespace {

Status InvalidRequest(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message),
                "invalid_request");
}

Status InvalidClient(std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(message),
                "invalid_client");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding with "+" as space. nullopt on a bad escape.
std::optional<std::string> FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
  }
  return out;
}

Status AddPair(std::string_view pair, OAuthForm& form) {
  const size_t eq = pair.find('=');
  std::optional<std::string> name = FormDecode(pair.substr(0, eq));
  std::optional<std::string> value = FormDecode(
      eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
  if (!name || !value) return InvalidRequest("malformed percent-encoding");
  if (name->empty()) return InvalidRequest("empty parameter name");
  if (!form.emplace(*name, std::move(*value)).second) {
    return InvalidRequest("parameter '" + *name + "' sent more than once");
  }
  return Status::Ok();
}

}  // namespace

Result<OAuthForm> ParseOAuthForm(std::string_view body) {
  if (body.size() > kMaxFormBytes) return InvalidRequest("form too large");
  OAuthForm form;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    if (end > start) {
      WARDEN_RETURN_IF_ERROR(AddPair(body.substr(start, end - start), form));
      if (form.size() > kMaxFormParameters) {
        return InvalidRequest("too many form parameters");
      }
    }
    start = end + 1;
  }
  return form;
}

Status CheckParameterLengths(const OAuthForm& form, size_t max_client_id) {
  auto check = [&form](std::string_view name, size_t max) -> Status {
    auto it = form.find(name);
    if (it == form.end() || it->second.size() <= max) return Status::Ok();
    return InvalidRequest(std::string(name) + " exceeds " +
                          std::to_string(max) + " bytes");
  };
  WARDEN_RETURN_IF_ERROR(check("client_id", max_client_id));
  for (const OAuthParameterLimit& limit : kOAuthParameterLimits) {
    WARDEN_RETURN_IF_ERROR(check(limit.name, limit.max_bytes));
  }
  return Status::Ok();
}

std::optional<std::string> FormValue(const OAuthForm& form,
                                     std::string_view name) {
  auto it = form.find(name);
  if (it == form.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<std::optional<BasicCredentials>> ParseBasicAuthorization(
    std::string_view authorization) {
  constexpr std::string_view kScheme = "Basic ";
  if (authorization.substr(0, kScheme.size()) != kScheme) {
    return std::optional<BasicCredentials>();
  }
  std::string_view encoded = authorization.substr(kScheme.size());
  if (encoded.size() > 4096) return InvalidClient("Basic credentials too long");
  std::string decoded(encoded.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()),
                        decoded.size(), encoded.data(), encoded.size(), nullptr,
                        &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return InvalidClient("Basic credentials are not base64");
  }
  decoded.resize(length);
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) {
    return InvalidClient("Basic credentials lack ':'");
  }
  std::optional<std::string> id = FormDecode(decoded.substr(0, colon));
  std::optional<std::string> secret = FormDecode(decoded.substr(colon + 1));
  if (!id || !secret || id->empty()) {
    return InvalidClient("Basic credentials are malformed");
  }
  return std::optional<BasicCredentials>(
      BasicCredentials{std::move(*id), std::move(*secret)});
}

}  // namespace warden
