// RSASSA-PKCS1-v1_5 / SHA-256 verification (RFC 8017 section 8.2.2, JWS
// RS256 per RFC 7518 section 3.3) on OpenSSL 3.
#include "tokens/rsa_pkcs1.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <memory>

namespace warden::tokens::rsa {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamsFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, ParamsFree>;

EVP_PKEY* Mutable(const EVP_PKEY& key) { return const_cast<EVP_PKEY*>(&key); }

BnPtr BnFromBytes(std::string_view bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

std::string BnBytes(const BIGNUM* bn) {
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

Status CheckComponents(const BIGNUM& n, const BIGNUM& e) {
  const int bits = BN_num_bits(&n);
  if (bits < kMinModulusBits || bits > kMaxModulusBits) {
    return InvalidArgument("RSA modulus is " + std::to_string(bits) +
                           " bits; " + std::to_string(kMinModulusBits) + ".." +
                           std::to_string(kMaxModulusBits) + " are accepted");
  }
  if (!BN_is_odd(&n)) return InvalidArgument("RSA modulus is even");
  if (!BN_is_odd(&e) || BN_is_one(&e) || BN_num_bits(&e) > 32) {
    return InvalidArgument("RSA public exponent must be odd, 3..2^32-1");
  }
  return Status::Ok();
}

}  // namespace

Result<KeyPtr> FromPublicComponents(std::string_view n, std::string_view e) {
  // Leading zero octets are not allowed in JWK "n"/"e" (RFC 7518 6.3.1.1),
  // but a few issuers emit them; BN ignores them and the size check holds.
  if (n.size() > kMaxModulusBits / 8 + 1 || e.size() > 8) {
    return InvalidArgument("RSA key components are too large");
  }
  BnPtr bn_n = BnFromBytes(n);
  BnPtr bn_e = BnFromBytes(e);
  if (!bn_n || !bn_e) return Internal("RSA key import: out of memory");
  WARDEN_RETURN_IF_ERROR(CheckComponents(*bn_n, *bn_e));
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N,
                             bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E,
                             bn_e.get()) != 1) {
    return Internal("RSA key import: out of memory");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  if (!params) return Internal("RSA key import: out of memory");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) !=
          1) {
    ERR_clear_error();
    return InvalidArgument("RSA public key was refused by the crypto library");
  }
  return KeyPtr(raw);
}

Status PublicComponents(const EVP_PKEY& key, std::string* n, std::string* e) {
  BIGNUM* bn_n = nullptr;
  BIGNUM* bn_e = nullptr;
  const bool ok =
      EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_RSA_N, &bn_n) == 1 &&
      EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_RSA_E, &bn_e) == 1;
  BnPtr hold_n(bn_n), hold_e(bn_e);
  if (!ok) return Internal("RSA public components unavailable");
  *n = BnBytes(bn_n);
  *e = BnBytes(bn_e);
  return Status::Ok();
}

bool Verify(const EVP_PKEY& key, std::string_view message,
            std::string_view signature) {
  if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(&key))) {
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const bool ok =
      ctx &&
      EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr,
                           Mutable(key)) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
      EVP_DigestVerify(ctx.get(),
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  if (!ok) ERR_clear_error();  // a bad signature is an answer, not an error
  return ok;
}

}  // namespace warden::tokens::rsa
