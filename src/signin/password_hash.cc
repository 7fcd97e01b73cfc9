#include "signin/password_hash.h"

#include <sodium.h>

#include <mutex>

namespace warden::signin {
namespace {

constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

// A hash of a random password at today's cost, made once: verifying
// against it takes as long as a real verification.
const std::string& DecoyHash() {
  static const std::string decoy = [] {
    char out[crypto_pwhash_STRBYTES];
    unsigned char random[32];
    randombytes_buf(random, sizeof random);
    if (crypto_pwhash_str(out, reinterpret_cast<const char*>(random),
                          sizeof random, kOpsLimit, kMemLimit) != 0) {
      return std::string();
    }
    return std::string(out);
  }();
  return decoy;
}

bool Verify(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view user, std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return InvalidArgument("password must be at least " +
                               std::to_string(kMinPasswordLength) +
                               " characters",
                           "weak-password");
  }
  if (password.size() > kMaxPasswordLength) {
    return InvalidArgument("password must be at most " +
                               std::to_string(kMaxPasswordLength) + " bytes",
                           "weak-password");
  }
  if (password == user) {
    return InvalidArgument("password must not be the user name",
                           "weak-password");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit,
                        kMemLimit) != 0) {
    return Internal("password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (password.size() > kMaxPasswordLength) password = {};
  const std::string stored(hash);
  if (stored.starts_with(crypto_pwhash_STRPREFIX)) {
    return Verify(stored, password);
  }
  (void)Verify(DecoyHash(), password);
  return false;
}

}  // namespace warden::signin
