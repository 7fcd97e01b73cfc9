// Issuance and secret-store costs next to their raw primitives, in the same
// run: leaf signing vs one raw ECDSA P-256 signature (the CA key), CSR
// parsing (includes the proof-of-possession verify), CRL building, and
// envelope seal/open vs one raw XChaCha20-Poly1305 operation.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "core/crypto.h"
#include "pki/certificate_authority.h"
#include "secrets/envelope.h"

namespace {

using warden::pki::CertificateAuthority;
using warden::pki::CertificateRequest;

const warden::Timestamp kNow = warden::FromMicros(1'800'000'000'000'000);

std::string Csr() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_pubkey(req, key);
  X509_REQ_sign(req, key, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_REQ(bio, req);
  std::string pem = warden::pki::DrainBio(bio);
  BIO_free(bio);
  X509_REQ_free(req);
  EVP_PKEY_free(key);
  return pem;
}

std::unique_ptr<CertificateAuthority>& Ca() {
  static auto ca =
      CertificateAuthority::Generate("bench.example", kNow).value();
  return ca;
}

void BM_SignLeaf(benchmark::State& state) {
  auto request = CertificateRequest::Parse(Csr()).value();
  for (auto _ : state) {
    auto issued = Ca()->Sign(request, "spiffe://bench.example/ns/p/sa/x", kNow,
                             std::chrono::hours(1));
    benchmark::DoNotOptimize(issued);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignLeaf);

// Baseline: one ECDSA P-256 / SHA-256 signature over a leaf-sized TBS.
void BM_RawP256Sign(benchmark::State& state) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  const std::string tbs(450, 'x');
  unsigned char sig[80];
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t length = sizeof(sig);
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(ctx, sig, &length,
                   reinterpret_cast<const unsigned char*>(tbs.data()),
                   tbs.size());
    EVP_MD_CTX_free(ctx);
    benchmark::DoNotOptimize(sig);
  }
  EVP_PKEY_free(key);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawP256Sign);

void BM_ParseCsr(benchmark::State& state) {
  const std::string pem = Csr();
  for (auto _ : state) {
    auto request = CertificateRequest::Parse(pem);
    benchmark::DoNotOptimize(request);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseCsr);

void BM_CrlWithRevoked(benchmark::State& state) {
  std::vector<warden::pki::RevokedSerial> revoked;
  for (int64_t i = 0; i < state.range(0); ++i) {
    revoked.push_back({warden::HexEncode(reinterpret_cast<const uint8_t*>(
                                             warden::RandomBytes(16).data()),
                                         16),
                       kNow});
    revoked.back().serial[0] = '1';
  }
  for (auto _ : state) {
    auto crl = Ca()->CrlPem(revoked, 1, kNow, std::chrono::hours(24));
    benchmark::DoNotOptimize(crl);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CrlWithRevoked)->Arg(0)->Arg(1000)->Arg(10000);

void BM_EnvelopeSeal(benchmark::State& state) {
  const auto kek = warden::secrets::KeyEncryptionKey::Generate();
  const std::string value(64, 's');
  for (auto _ : state) {
    auto sealed = warden::secrets::Seal(kek, value, "secret|id|v1");
    benchmark::DoNotOptimize(sealed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EnvelopeSeal);

void BM_EnvelopeOpen(benchmark::State& state) {
  const auto kek = warden::secrets::KeyEncryptionKey::Generate();
  auto sealed =
      warden::secrets::Seal(kek, std::string(64, 's'), "secret|id|v1").value();
  for (auto _ : state) {
    auto opened = warden::secrets::Open(kek, sealed, "secret|id|v1");
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EnvelopeOpen);

// Baseline: one raw AEAD encryption of the same 64-byte value.
void BM_RawAeadSeal(benchmark::State& state) {
  unsigned char key[32], nonce[24], out[64 + 16];
  randombytes_buf(key, sizeof(key));
  randombytes_buf(nonce, sizeof(nonce));
  const std::string value(64, 's');
  for (auto _ : state) {
    unsigned long long length = 0;  // NOLINT(runtime/int)
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out, &length, reinterpret_cast<const unsigned char*>(value.data()),
        value.size(), nullptr, 0, nullptr, nonce, key);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawAeadSeal);

}  // namespace

int main(int argc, char** argv) {
  if (!warden::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
