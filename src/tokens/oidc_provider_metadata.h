// OidcProviderMetadata: an OpenID provider's configuration document
// (OpenID Connect Discovery 1.0 sections 3 and 4), parsed strictly for the
// authorization code flow with PKCE.
//
// Parse() accepts a document when:
//   - it is a JSON object within the limits below;
//   - "issuer" is exactly the issuer the document was fetched for (section
//     4.3: "MUST be identical"), so a provider cannot speak for another;
//   - authorization_endpoint, token_endpoint and jwks_uri are present and
//     are https URLs (plain http only on a loopback host: 127.0.0.0/8, ::1,
//     localhost), with no fragment;
//   - response_types_supported, if present, lists "code";
//   - code_challenge_methods_supported (RFC 8414), if present, lists "S256";
//   - token_endpoint_auth_methods_supported (default client_secret_basic,
//     section 3) lists client_secret_basic or client_secret_post: the
//     former is chosen when both are.
// Refusals are kInvalidArgument naming the member, problem
// "oidc-provider-metadata".
//
// Thread-safety: pure function; the struct is a value.
#ifndef WARDEN_TOKENS_OIDC_PROVIDER_METADATA_H_
#define WARDEN_TOKENS_OIDC_PROVIDER_METADATA_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::tokens {

// How the client secret reaches the token endpoint (OpenID Connect Core
// section 9).
enum class ClientAuthMethod {
  kClientSecretBasic,  // HTTP Basic, RFC 6749 section 2.3.1
  kClientSecretPost,   // client_id and client_secret in the form body
};

struct OidcProviderMetadataLimits {
  // Real documents are 2-6 KiB; 64 KiB bounds parse work.
  size_t max_document_bytes = 64 * 1024;
  // Flat object with arrays of strings.
  int max_json_depth = 4;
  // URLs put in redirects and requests.
  size_t max_url_length = 2048;
};

struct OidcProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  ClientAuthMethod auth_method = ClientAuthMethod::kClientSecretBasic;

  // `expected_issuer`: the configured issuer identifier.
  static Result<OidcProviderMetadata> Parse(
      std::string_view json, std::string_view expected_issuer,
      const OidcProviderMetadataLimits& limits = {});
};

// True for an https URL, or an http URL whose host is loopback; `url` must
// have a host and no fragment. Used for the issuer and the endpoints.
bool IsAcceptableProviderUrl(std::string_view url);

// "https://issuer/path" + "/.well-known/openid-configuration" (Discovery
// section 4.1: a trailing "/" of the issuer is dropped first).
std::string DiscoveryUrl(std::string_view issuer);

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_OIDC_PROVIDER_METADATA_H_
