// ECDSA P-256 for JWS ES256 (RFC 7518 section 3.4) on OpenSSL 3.
#include "tokens/p256.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <cstring>

namespace warden::tokens::p256 {
namespace {

constexpr char kGroupName[] = "prime256v1";

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct SigFree {
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using SigPtr = std::unique_ptr<ECDSA_SIG, SigFree>;

// OpenSSL's EVP API takes non-const keys for operations that do not modify
// them; the casts below are confined to this file.
EVP_PKEY* Mutable(const EVP_PKEY& key) { return const_cast<EVP_PKEY*>(&key); }

bool IsP256(const EVP_PKEY& key) {
  char group[64] = {};
  size_t len = 0;
  return EVP_PKEY_get_base_id(&key) == EVP_PKEY_EC &&
         EVP_PKEY_get_utf8_string_param(&key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                        sizeof(group), &len) == 1 &&
         std::strcmp(group, kGroupName) == 0;
}

std::string BnBytes(const BIGNUM* bn) {
  std::string out(kCoordinateBytes, '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()),
               kCoordinateBytes);
  return out;
}

BnPtr BnFromBytes(std::string_view bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

}  // namespace

Result<KeyPtr> Generate() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return Internal("P-256 key generation failed");
  return key;
}

Result<KeyPtr> FromPrivateDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  KeyPtr key(
      d2i_PrivateKey(EVP_PKEY_EC, nullptr, &p, static_cast<long>(der.size())));
  if (!key || !IsP256(*key)) {
    ERR_clear_error();  // failures must not leak into the thread's queue
    return InvalidArgument("ES256 private key blob is not a P-256 key");
  }
  return key;
}

Result<std::string> ToPrivateDer(const EVP_PKEY& key) {
  unsigned char* der = nullptr;
  const int len = i2d_PrivateKey(&key, &der);
  if (len <= 0) return Internal("P-256 private key encoding failed");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_clear_free(der, static_cast<size_t>(len));
  return out;
}

Result<KeyPtr> FromPublicCoordinates(std::string_view x, std::string_view y) {
  if (x.size() != kCoordinateBytes || y.size() != kCoordinateBytes) {
    return InvalidArgument("P-256 coordinates must be 32 bytes each");
  }
  unsigned char point[1 + 2 * kCoordinateBytes];
  point[0] = 0x04;  // uncompressed (SEC 1 section 2.3.3)
  std::memcpy(point + 1, x.data(), kCoordinateBytes);
  std::memcpy(point + 1 + kCoordinateBytes, y.data(), kCoordinateBytes);
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point,
                                        sizeof(point)),
      OSSL_PARAM_construct_end()};
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    ERR_clear_error();
    return InvalidArgument("P-256 public key is not a point on the curve");
  }
  KeyPtr key(raw);
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ERR_clear_error();
    return InvalidArgument("P-256 public key failed validation");
  }
  return key;
}

Status PublicCoordinates(const EVP_PKEY& key, std::string* x, std::string* y) {
  BIGNUM* bx = nullptr;
  BIGNUM* by = nullptr;
  const bool ok =
      EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_EC_PUB_X, &bx) == 1 &&
      EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_EC_PUB_Y, &by) == 1;
  BnPtr hold_x(bx), hold_y(by);
  if (!ok) return Internal("P-256 public coordinates unavailable");
  *x = BnBytes(bx);
  *y = BnBytes(by);
  return Status::Ok();
}

Result<std::string> Sign(const EVP_PKEY& key, std::string_view message) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t der_len = 0;
  const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                         Mutable(key)) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &der_len, msg, message.size()) != 1) {
    return Internal("ES256 signing failed");
  }
  std::string der(der_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()),
                     &der_len, msg, message.size()) != 1) {
    return Internal("ES256 signing failed");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (!sig) return Internal("ES256 signature decoding failed");
  return BnBytes(ECDSA_SIG_get0_r(sig.get())) +
         BnBytes(ECDSA_SIG_get0_s(sig.get()));
}

bool Verify(const EVP_PKEY& key, std::string_view message,
            std::string_view signature) {
  if (signature.size() != kSignatureBytes) return false;
  BnPtr r = BnFromBytes(signature.substr(0, kCoordinateBytes));
  BnPtr s = BnFromBytes(signature.substr(kCoordinateBytes));
  SigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return false;
  }
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                           Mutable(key)) == 1 &&
      EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_len),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  OPENSSL_free(der);
  if (!ok) ERR_clear_error();  // a bad signature is an answer, not an error
  return ok;
}

}  // namespace warden::tokens::p256
