#include "cli/jwks_file.h"

#include <boost/json/parse.hpp>

#include "cli/local_file.h"
#include "tokens/jwks.h"

namespace warden::cli {
namespace {

Status NotUsable(const std::string& path, std::string_view why) {
  return InvalidArgument(path + ": not a usable JWKS: " + std::string(why),
                         "invalid-jwks");
}

// A lone JWK is the commonest wrong file: say how to fix it.
bool IsSingleKey(const boost::json::object& document) {
  return document.contains("kty") && !document.contains("keys");
}

}  // namespace

Result<boost::json::object> ReadClientJwksFile(const std::string& path) {
  const tokens::JwksLimits limits;
  WARDEN_ASSIGN_OR_RETURN(std::string text,
                          ReadLocalFile(path, limits.max_document_bytes));
  Result<std::shared_ptr<const tokens::Jwks>> jwks = tokens::Jwks::Parse(text);
  if (!jwks.ok()) {
    boost::system::error_code ec;
    boost::json::value document = boost::json::parse(text, ec);
    if (!ec && document.is_object() && IsSingleKey(document.as_object())) {
      return NotUsable(path,
                       "it holds a single JWK; wrap it as {\"keys\": [...]}");
    }
    return NotUsable(path, jwks.status().message());
  }
  if ((*jwks)->keys().empty()) {
    return NotUsable(path,
                     "no Ed25519 or P-256 signature key (RSA and symmetric "
                     "keys cannot sign private_key_jwt assertions for "
                     "Warden)");
  }
  // Parse() accepted it, so it is a JSON object within the limits.
  return boost::json::parse(text).as_object();
}

}  // namespace warden::cli
