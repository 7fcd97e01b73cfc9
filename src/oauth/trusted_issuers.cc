// RFC 8693 subject token validation for workload federation.
#include "oauth/trusted_issuers.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tokens/jws.h"

namespace warden::oauth {
namespace {

namespace json = boost::json;

constexpr int64_t kLeewaySeconds = 30;

Status Refuse(std::string reason) {
  return Status(StatusCode::kInvalidArgument,
                "subject token refused: " + std::move(reason),
                "invalid_request");
}

Status BadConfig(size_t index, std::string what) {
  return InvalidArgument(
      "trusted_issuers[" + std::to_string(index) + "]: " + std::move(what),
      "validation-failed");
}

const json::string* StringMember(const json::object& object,
                                 std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? &value->get_string() : nullptr;
}

Result<ClaimMappingRule> ParseRule(const json::value& value, size_t index) {
  if (!value.is_object()) return BadConfig(index, "rules must be objects");
  const json::object& object = value.get_object();
  const json::string* identity = StringMember(object, "identity");
  const json::value* claims = object.if_contains("claims");
  if (!identity || identity->empty() || !claims || !claims->is_object() ||
      claims->get_object().empty()) {
    return BadConfig(index,
                     "a rule needs \"identity\" and non-empty \"claims\"");
  }
  ClaimMappingRule rule;
  rule.identity = std::string(*identity);
  for (const auto& [name, expected] : claims->get_object()) {
    if (!expected.is_string()) {
      return BadConfig(index, "rule claim values must be strings");
    }
    rule.claims.emplace(std::string(name), std::string(expected.get_string()));
  }
  return rule;
}

// Exactly one key source: inline "jwks", "jwks_file" or "jwks_uri".
Status ParseKeySource(const json::object& object, size_t index,
                      TrustedIssuer& out) {
  const json::value* jwks = object.if_contains("jwks");
  const json::string* file = StringMember(object, "jwks_file");
  const json::string* uri = StringMember(object, "jwks_uri");
  const int sources = (jwks != nullptr) + (object.contains("jwks_file")) +
                      (object.contains("jwks_uri"));
  if (sources != 1) {
    return BadConfig(index, "needs exactly one of jwks, jwks_file, jwks_uri");
  }
  if (file) {
    out.jwks_source = JwksSource::kFile;
    out.jwks_location = std::string(*file);
    return Status::Ok();
  }
  if (uri) {
    out.jwks_source = JwksSource::kUri;
    out.jwks_location = std::string(*uri);
    return Status::Ok();
  }
  if (!jwks) return BadConfig(index, "jwks_file and jwks_uri are strings");
  Result<std::shared_ptr<const tokens::Jwks>> keys =
      tokens::Jwks::Parse(jwks->is_string() ? std::string(jwks->get_string())
                                            : json::serialize(*jwks));
  if (!keys.ok()) return BadConfig(index, "jwks: " + keys.status().message());
  out.jwks = *keys;
  return Status::Ok();
}

Result<TrustedIssuer> ParseIssuer(const json::value& value, size_t index) {
  if (!value.is_object()) return BadConfig(index, "must be an object");
  const json::object& object = value.get_object();
  const json::string* issuer = StringMember(object, "issuer");
  const json::string* audience = StringMember(object, "audience");
  const json::value* rules = object.if_contains("rules");
  if (!issuer || issuer->empty() || !audience || audience->empty() || !rules ||
      !rules->is_array()) {
    return BadConfig(index, "needs issuer, audience, a key source and rules");
  }
  TrustedIssuer out;
  out.issuer = std::string(*issuer);
  out.audience = std::string(*audience);
  WARDEN_RETURN_IF_ERROR(ParseKeySource(object, index, out));
  if (rules->get_array().size() > kMaxMappingRules) {
    return BadConfig(index, "too many rules");
  }
  for (const json::value& rule : rules->get_array()) {
    WARDEN_ASSIGN_OR_RETURN(ClaimMappingRule parsed, ParseRule(rule, index));
    out.rules.push_back(std::move(parsed));
  }
  return out;
}

// The issuer's key set read from its file or URI.
Result<std::shared_ptr<const tokens::Jwks>> ReadKeys(
    const TrustedIssuer& issuer, const outbound::JwksFetcher& fetcher) {
  Result<std::string> text = issuer.jwks_source == JwksSource::kFile
                                 ? fetcher.ReadFile(issuer.jwks_location)
                                 : fetcher.FetchUri(issuer.jwks_location);
  if (!text.ok()) return text.status();
  tokens::JwksLimits limits;
  limits.max_document_bytes = fetcher.limits().max_bytes;
  Result<std::shared_ptr<const tokens::Jwks>> keys =
      tokens::Jwks::Parse(*text, limits);
  if (!keys.ok()) {
    // Named by issuer, not location: a URI may carry credentials.
    return InvalidArgument("key set of issuer " + issuer.issuer +
                           ": not a valid JWKS: " + keys.status().message());
  }
  return keys;
}

bool AudienceContains(const json::value* aud, std::string_view expected) {
  if (aud == nullptr) return false;
  if (aud->is_string()) return aud->get_string() == expected;
  if (!aud->is_array()) return false;
  for (const json::value& item : aud->get_array()) {
    if (item.is_string() && item.get_string() == expected) return true;
  }
  return false;
}

Status CheckTimes(const json::object& claims, Timestamp now) {
  const int64_t t = ToUnixSeconds(now);
  const json::value* exp = claims.if_contains("exp");
  if (!exp || !exp->is_number()) return Refuse("exp is missing");
  if (exp->to_number<double>() + kLeewaySeconds <= static_cast<double>(t)) {
    return Refuse("expired");
  }
  for (const char* name : {"nbf", "iat"}) {
    const json::value* v = claims.if_contains(name);
    if (v && v->is_number() &&
        v->to_number<double>() - kLeewaySeconds > static_cast<double>(t)) {
      return Refuse(std::string(name) + " is in the future");
    }
  }
  return Status::Ok();
}

bool Matches(const ClaimMappingRule& rule, const json::object& claims) {
  for (const auto& [name, expected] : rule.claims) {
    const json::string* actual = StringMember(claims, name);
    if (!actual || *actual != expected) return false;
  }
  return true;
}

}  // namespace

Result<TrustedIssuers> TrustedIssuers::Parse(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_array()) {
    return InvalidArgument("trusted issuers must be a JSON array",
                           "validation-failed");
  }
  if (value.get_array().size() > kMaxTrustedIssuers) {
    return InvalidArgument("too many trusted issuers", "validation-failed");
  }
  TrustedIssuers out;
  size_t index = 0;
  for (const json::value& item : value.get_array()) {
    WARDEN_ASSIGN_OR_RETURN(TrustedIssuer issuer, ParseIssuer(item, index++));
    out.issuers_.push_back(std::move(issuer));
  }
  return out;
}

Status TrustedIssuers::LoadKeys(const outbound::JwksFetcher& fetcher) {
  for (size_t i = 0; i < issuers_.size(); ++i) {
    TrustedIssuer& issuer = issuers_[i];
    if (issuer.jwks_source == JwksSource::kInline) continue;
    Result<std::shared_ptr<const tokens::Jwks>> keys =
        ReadKeys(issuer, fetcher);
    if (!keys.ok()) {
      return BadConfig(i, "issuer '" + issuer.issuer + "': keys unavailable: " +
                              keys.status().message());
    }
    issuer.jwks = *keys;
  }
  return Status::Ok();
}

TrustedIssuers TrustedIssuers::Refreshed(
    const outbound::JwksFetcher& fetcher,
    std::vector<std::string>& failures) const {
  TrustedIssuers copy = *this;
  for (TrustedIssuer& issuer : copy.issuers_) {
    if (issuer.jwks_source == JwksSource::kInline) continue;
    Result<std::shared_ptr<const tokens::Jwks>> keys =
        ReadKeys(issuer, fetcher);
    if (keys.ok()) {
      issuer.jwks = *keys;
    } else {
      failures.push_back(issuer.issuer + ": " + keys.status().message());
    }
  }
  return copy;
}

bool TrustedIssuers::has_remote_keys() const {
  for (const TrustedIssuer& issuer : issuers_) {
    if (issuer.jwks_source != JwksSource::kInline) return true;
  }
  return false;
}

Result<std::string> TrustedIssuers::MapSubjectToken(std::string_view token,
                                                    Timestamp now,
                                                    bool* unknown_kid) const {
  Result<tokens::ParsedJws> jws = tokens::ParseCompactJws(token);
  if (!jws.ok()) return Refuse(jws.status().message());
  boost::system::error_code ec;
  json::value payload = json::parse(jws->payload, ec);
  if (ec || !payload.is_object()) return Refuse("claims are not JSON");
  const json::object& claims = payload.get_object();
  const json::string* iss = StringMember(claims, "iss");
  if (!iss) return Refuse("iss is missing");
  const TrustedIssuer* trusted = nullptr;
  for (const TrustedIssuer& candidate : issuers_) {
    if (candidate.issuer == *iss) trusted = &candidate;
  }
  if (!trusted)
    return Refuse("issuer '" + std::string(*iss) + "' is not trusted");
  if (unknown_kid && trusted->jwks_source != JwksSource::kInline &&
      (!trusted->jwks || !trusted->jwks->FindKey(jws->header.kid))) {
    *unknown_kid = true;
  }
  if (!trusted->jwks) return Refuse("issuer keys are not loaded");
  Status signature = tokens::VerifyJwsWithResolver(*jws, *trusted->jwks);
  if (!signature.ok()) return Refuse(signature.message());
  if (!AudienceContains(claims.if_contains("aud"), trusted->audience)) {
    return Refuse("aud does not contain '" + trusted->audience + "'");
  }
  WARDEN_RETURN_IF_ERROR(CheckTimes(claims, now));
  for (const ClaimMappingRule& rule : trusted->rules) {
    if (Matches(rule, claims)) return rule.identity;
  }
  return Refuse("no mapping rule of issuer '" + trusted->issuer +
                "' matches its claims");
}

}  // namespace warden::oauth
