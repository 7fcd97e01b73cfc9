// HMAC-SHA256 (RFC 2104, via libsodium) over the base64url payload
// (RFC 4648 section 5, no padding).
#include "api/ofrep_event_ticket.h"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.h"

namespace warden::api {
namespace {

namespace json = boost::json;

constexpr int64_t kTicketVersion = 1;
constexpr size_t kHmacKeyBytes = 32;
// Token ids and tenant keys are far shorter; the payload is signed, so
// these only bound what a forged-but-unsigned input could make us copy.
constexpr size_t kMaxTicketFieldBytes = 256;
// The payload is one flat object.
constexpr unsigned kMaxPayloadDepth = 2;

Status Malformed(std::string_view what) {
  return InvalidArgument("event-stream ticket payload: " + std::string(what),
                         "bad-ticket");
}

Result<std::string> StringField(const json::object& payload,
                                std::string_view name) {
  const json::value* value = payload.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    return Malformed(std::string(name) + " must be a string");
  }
  if (value->as_string().size() > kMaxTicketFieldBytes) {
    return Malformed(std::string(name) + " is too long");
  }
  return std::string(value->as_string());
}

Result<int64_t> IntegerField(const json::object& payload,
                             std::string_view name) {
  const json::value* value = payload.if_contains(name);
  if (value == nullptr || !value->is_int64()) {
    return Malformed(std::string(name) + " must be an integer");
  }
  return value->as_int64();
}

Status Refused(std::string_view why) {
  return Unauthenticated("event-stream ticket " + std::string(why) +
                         "; fetch a new one with a bulk evaluation");
}

}  // namespace

std::string OfrepEventTicketPayload(const OfrepEventTicket& ticket) {
  return json::serialize(json::object{{"v", kTicketVersion},
                                      {"tid", ticket.token_id},
                                      {"env", Name(ticket.environment)},
                                      {"ten", ticket.tenant},
                                      {"exp", ticket.expires_at}});
}

Result<OfrepEventTicket> ParseOfrepEventTicketPayload(std::string_view text) {
  json::parse_options options;
  options.max_depth = kMaxPayloadDepth;
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, {}, options);
  if (ec) return Malformed("not JSON: " + ec.message());
  if (!value.is_object()) return Malformed("not an object");
  const json::object& payload = value.as_object();
  WARDEN_ASSIGN_OR_RETURN(int64_t version, IntegerField(payload, "v"));
  if (version != kTicketVersion) return Malformed("unknown version");
  OfrepEventTicket ticket;
  WARDEN_ASSIGN_OR_RETURN(ticket.token_id, StringField(payload, "tid"));
  WARDEN_ASSIGN_OR_RETURN(std::string env, StringField(payload, "env"));
  std::optional<Environment> parsed = ParseEnvironment(env);
  if (!parsed) return Malformed("unknown environment");
  ticket.environment = *parsed;
  WARDEN_ASSIGN_OR_RETURN(ticket.tenant, StringField(payload, "ten"));
  WARDEN_ASSIGN_OR_RETURN(ticket.expires_at, IntegerField(payload, "exp"));
  if (ticket.token_id.empty()) return Malformed("tid is empty");
  return ticket;
}

OfrepEventTicketSigner OfrepEventTicketSigner::WithRandomKey() {
  return OfrepEventTicketSigner(RandomBytes(kHmacKeyBytes));
}

OfrepEventTicketSigner OfrepEventTicketSigner::DerivedFrom(
    std::string_view secret) {
  constexpr std::string_view kLabel = "warden ofrep event ticket key v1";
  unsigned char key[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(secret.data()),
      secret.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(kLabel.data()),
      kLabel.size());
  crypto_auth_hmacsha256_final(&state, key);
  std::string derived(reinterpret_cast<const char*>(key), sizeof key);
  sodium_memzero(key, sizeof key);
  return OfrepEventTicketSigner(std::move(derived));
}

std::string OfrepEventTicketSigner::Mac(std::string_view encoded) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(encoded.data()),
      encoded.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string OfrepEventTicketSigner::KeyId() const {
  const std::string mac = Mac("warden-ofrep-event-ticket-key-id");
  return HexEncode(reinterpret_cast<const uint8_t*>(mac.data()), 4);
}

std::string OfrepEventTicketSigner::Mint(const OfrepEventTicket& ticket) const {
  const std::string encoded = Base64UrlEncode(OfrepEventTicketPayload(ticket));
  return encoded + "." + Base64UrlEncode(Mac(encoded));
}

Result<OfrepEventTicket> OfrepEventTicketSigner::Verify(std::string_view text,
                                                        Timestamp now) const {
  if (text.empty()) return Refused("is missing");
  if (text.size() > kMaxOfrepEventTicketBytes) return Refused("is too long");
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return Refused("is malformed");
  const std::string_view encoded = text.substr(0, dot);
  Result<std::string> mac = Base64UrlDecode(text.substr(dot + 1));
  if (!mac.ok()) return Refused("is malformed");
  // Compared before the payload is even decoded: an unsigned payload never
  // reaches the parser.
  if (!ConstantTimeEquals(*mac, Mac(encoded))) return Refused("is not valid");
  Result<std::string> payload = Base64UrlDecode(encoded);
  if (!payload.ok()) return Refused("is malformed");
  Result<OfrepEventTicket> ticket = ParseOfrepEventTicketPayload(*payload);
  if (!ticket.ok()) return Refused("is malformed");
  if (ticket->expires_at <= ToUnixSeconds(now)) return Refused("has expired");
  return ticket;
}

}  // namespace warden::api
