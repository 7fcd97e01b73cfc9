// OpenID Connect Discovery 1.0 sections 3, 4.1 and 4.3; RFC 8414 section 2
// (code_challenge_methods_supported).
#include "tokens/oidc_provider_metadata.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "tokens/jose_json.h"

namespace warden::tokens {
namespace {

Status MetadataError(std::string_view member, std::string_view why) {
  return InvalidArgument(
      "provider metadata \"" + std::string(member) + "\" " + std::string(why),
      "oidc-provider-metadata");
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  if (host.substr(0, 4) != "127.") return false;
  return std::all_of(host.begin(), host.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// The host of "scheme://[userinfo@]host[:port][/...]", without the port.
std::string_view HostOf(std::string_view rest) {
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  std::string_view host = authority.substr(authority.rfind('@') + 1);
  if (!host.empty() && host.front() == '[') {
    return host.substr(0, host.find(']') + 1);
  }
  return host.substr(0, host.find(':'));
}

Result<std::string> UrlMember(const boost::json::object& doc,
                              std::string_view member,
                              const OidcProviderMetadataLimits& limits) {
  auto value = jose::OptionalString(doc, member);
  if (!value.ok() || !value->has_value() || (*value)->empty()) {
    return MetadataError(member, "is required (a URL)");
  }
  if ((*value)->size() > limits.max_url_length) {
    return MetadataError(member, "is longer than " +
                                     std::to_string(limits.max_url_length) +
                                     " characters");
  }
  if (!IsAcceptableProviderUrl(**value)) {
    return MetadataError(member,
                         "must be an https URL (http only on loopback)");
  }
  return std::string(**value);
}

// nullopt when absent; an error when not an array of strings.
Result<std::optional<std::vector<std::string>>> StringList(
    const boost::json::object& doc, std::string_view member) {
  const boost::json::value* value = doc.if_contains(member);
  if (value == nullptr) return std::optional<std::vector<std::string>>();
  if (!value->is_array()) return MetadataError(member, "must be an array");
  std::vector<std::string> out;
  for (const boost::json::value& item : value->get_array()) {
    if (!item.is_string()) {
      return MetadataError(member, "must hold strings only");
    }
    out.emplace_back(item.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

bool Lists(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Status CheckCapabilities(const boost::json::object& doc,
                         OidcProviderMetadata& out) {
  WARDEN_ASSIGN_OR_RETURN(auto response_types,
                          StringList(doc, "response_types_supported"));
  if (response_types && !Lists(*response_types, "code")) {
    return MetadataError("response_types_supported", "does not list \"code\"");
  }
  WARDEN_ASSIGN_OR_RETURN(auto pkce,
                          StringList(doc, "code_challenge_methods_supported"));
  if (pkce && !Lists(*pkce, "S256")) {
    return MetadataError("code_challenge_methods_supported",
                         "does not list \"S256\" (PKCE is required)");
  }
  WARDEN_ASSIGN_OR_RETURN(
      auto auth_methods,
      StringList(doc, "token_endpoint_auth_methods_supported"));
  if (!auth_methods || Lists(*auth_methods, "client_secret_basic")) {
    out.auth_method = ClientAuthMethod::kClientSecretBasic;
  } else if (Lists(*auth_methods, "client_secret_post")) {
    out.auth_method = ClientAuthMethod::kClientSecretPost;
  } else {
    return MetadataError("token_endpoint_auth_methods_supported",
                         "lists neither client_secret_basic nor "
                         "client_secret_post");
  }
  return Status::Ok();
}

}  // namespace

bool IsAcceptableProviderUrl(std::string_view url) {
  if (url.find('#') != std::string_view::npos) return false;
  if (url.find_first_of(" \t\r\n\\") != std::string_view::npos) return false;
  constexpr std::string_view kHttps = "https://";
  constexpr std::string_view kHttp = "http://";
  if (url.substr(0, kHttps.size()) == kHttps) {
    return !HostOf(url.substr(kHttps.size())).empty();
  }
  if (url.substr(0, kHttp.size()) == kHttp) {
    return IsLoopbackHost(HostOf(url.substr(kHttp.size())));
  }
  return false;
}

std::string DiscoveryUrl(std::string_view issuer) {
  if (!issuer.empty() && issuer.back() == '/') issuer.remove_suffix(1);
  return std::string(issuer) + "/.well-known/openid-configuration";
}

Result<OidcProviderMetadata> OidcProviderMetadata::Parse(
    std::string_view json, std::string_view expected_issuer,
    const OidcProviderMetadataLimits& limits) {
  if (json.size() > limits.max_document_bytes) {
    return InvalidArgument("provider metadata is larger than " +
                               std::to_string(limits.max_document_bytes) +
                               " bytes",
                           "oidc-provider-metadata");
  }
  auto doc =
      jose::ParseObject(json, limits.max_json_depth, {}, "provider metadata");
  if (!doc.ok()) {
    return InvalidArgument(doc.status().message(), "oidc-provider-metadata");
  }
  OidcProviderMetadata out;
  auto issuer = jose::OptionalString(*doc, "issuer");
  if (!issuer.ok() || !issuer->has_value()) {
    return MetadataError("issuer", "is required");
  }
  if (**issuer != expected_issuer) {
    return MetadataError("issuer",
                         "is not the configured issuer (Discovery 4.3)");
  }
  out.issuer = std::string(**issuer);
  WARDEN_ASSIGN_OR_RETURN(out.authorization_endpoint,
                          UrlMember(*doc, "authorization_endpoint", limits));
  WARDEN_ASSIGN_OR_RETURN(out.token_endpoint,
                          UrlMember(*doc, "token_endpoint", limits));
  WARDEN_ASSIGN_OR_RETURN(out.jwks_uri, UrlMember(*doc, "jwks_uri", limits));
  WARDEN_RETURN_IF_ERROR(CheckCapabilities(*doc, out));
  return out;
}

}  // namespace warden::tokens
