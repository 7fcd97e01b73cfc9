#include "signin/totp_key_sealer.h"

#include <array>

#include "core/crypto.h"
#include "secrets/envelope.h"

namespace warden::signin {
namespace {

std::string Aad(std::string_view user) { return "totp|" + std::string(user); }

}  // namespace

Result<std::string> TotpKeySealer::Seal(std::string_view user,
                                        std::string_view key) const {
  WARDEN_ASSIGN_OR_RETURN(secrets::SealedValue sealed,
                          secrets::Seal(kek_, key, Aad(user)));
  return Base64UrlEncode(sealed.ciphertext) + "." +
         Base64UrlEncode(sealed.nonce) + "." +
         Base64UrlEncode(sealed.wrapped_key) + "." +
         Base64UrlEncode(sealed.wrap_nonce) + "." +
         Base64UrlEncode(sealed.kek_id);
}

Result<std::string> TotpKeySealer::Open(std::string_view user,
                                        std::string_view sealed) const {
  std::array<std::string, 5> parts;
  size_t start = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const size_t dot = sealed.find('.', start);
    const bool last = i + 1 == parts.size();
    if (last != (dot == std::string_view::npos)) {
      return Internal("sealed TOTP key of " + std::string(user) +
                      " is malformed");
    }
    Result<std::string> part = Base64UrlDecode(
        sealed.substr(start, last ? std::string_view::npos : dot - start));
    if (!part.ok()) {
      return Internal("sealed TOTP key of " + std::string(user) +
                      " is malformed");
    }
    parts[i] = std::move(part).value();
    start = dot + 1;
  }
  const secrets::SealedValue value{parts[0], parts[1], parts[2], parts[3],
                                   parts[4]};
  return secrets::Open(kek_, value, Aad(user));
}

}  // namespace warden::signin
