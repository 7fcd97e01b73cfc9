// Access-token costs next to their cryptographic floor, measured in the same
// run: raw Ed25519 sign/verify (libsodium) vs full issue (claims JSON + JWS
// sign) and full verify (parse + signature + claim checks), plus ES256.
// Prints ratios and heap allocations per operation at the end.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <new>
#include <string>

#include "core/counting_allocator.h"
#include "core/crypto.h"
#include "tokens/access_token_issuer.h"
#include "tokens/access_token_verifier.h"

// Counts heap allocations so verification cost in allocations is visible.
namespace warden::tokens {
namespace {

constexpr char kIssuer[] = "https://warden.example";
constexpr char kAudience[] = "https://api.example";

struct Fixture {
  explicit Fixture(JwsAlgorithm alg)
      : clock(SystemClock().Now()),
        ring(SigningKeyRing::Create(Policy(alg), {}, clock.Now()).value()),
        issuer(kIssuer, *ring, lifetimes, clock),
        verifier(Options(), *ring, clock) {}

  static KeyRotationPolicy Policy(JwsAlgorithm alg) {
    KeyRotationPolicy policy;
    policy.algorithm = alg;
    return policy;
  }
  static AccessTokenVerifierOptions Options() {
    AccessTokenVerifierOptions options;
    options.issuer = kIssuer;
    options.audience = kAudience;
    return options;
  }

  AccessTokenRequest Request() const {
    AccessTokenRequest r;
    r.subject = "0192f6a4-7b1c-7000-8000-00000000abcd";
    r.client_id = "billing-sync";
    r.audience = {kAudience};
    r.scopes = {"invoices:read", "invoices:write", "customers:read"};
    r.tenant = "acme";
    return r;
  }

  ManualClock clock;
  LifetimePolicy lifetimes;
  std::unique_ptr<SigningKeyRing> ring;
  AccessTokenIssuer issuer;
  AccessTokenVerifier verifier;
};

void CountAllocations(benchmark::State& state, uint64_t before) {
  state.counters["allocs_per_op"] =
      benchmark::Counter(static_cast<double>(g_allocations.load() - before) /
                         static_cast<double>(state.iterations()));
}

// A typical signing input: the size of a real access token's header.payload.
std::string TypicalSigningInput() {
  Fixture f(JwsAlgorithm::kEdDSA);
  const std::string token = f.issuer.Issue(f.Request()).value().token;
  return token.substr(0, token.rfind('.'));
}

void BM_RawEd25519Sign(benchmark::State& state) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  const std::string msg = TypicalSigningInput();
  unsigned char sig[crypto_sign_BYTES];
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr,
                         reinterpret_cast<const unsigned char*>(msg.data()),
                         msg.size(), sk);
    benchmark::DoNotOptimize(sig);
  }
}
BENCHMARK(BM_RawEd25519Sign);

void BM_RawEd25519Verify(benchmark::State& state) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  const std::string msg = TypicalSigningInput();
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr,
                       reinterpret_cast<const unsigned char*>(msg.data()),
                       msg.size(), sk);
  for (auto _ : state) {
    int rc = crypto_sign_verify_detached(
        sig, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
        pk);
    benchmark::DoNotOptimize(rc);
  }
}
BENCHMARK(BM_RawEd25519Verify);

void BM_AccessTokenIssue(benchmark::State& state, JwsAlgorithm alg) {
  Fixture f(alg);
  const AccessTokenRequest request = f.Request();
  const uint64_t before = g_allocations.load();
  for (auto _ : state) {
    auto issued = f.issuer.Issue(request);
    if (!issued.ok()) state.SkipWithError("issue failed");
    benchmark::DoNotOptimize(issued);
  }
  CountAllocations(state, before);
}
BENCHMARK_CAPTURE(BM_AccessTokenIssue, EdDSA, JwsAlgorithm::kEdDSA);
BENCHMARK_CAPTURE(BM_AccessTokenIssue, ES256, JwsAlgorithm::kES256);

void BM_AccessTokenVerify(benchmark::State& state, JwsAlgorithm alg) {
  Fixture f(alg);
  const std::string token = f.issuer.Issue(f.Request()).value().token;
  const uint64_t before = g_allocations.load();
  for (auto _ : state) {
    auto claims = f.verifier.Verify(token);
    if (!claims.ok()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(claims);
  }
  CountAllocations(state, before);
}
BENCHMARK_CAPTURE(BM_AccessTokenVerify, EdDSA, JwsAlgorithm::kEdDSA);
BENCHMARK_CAPTURE(BM_AccessTokenVerify, ES256, JwsAlgorithm::kES256);

// Records each run's time per iteration so main() can print ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      ns_[run.benchmark_name()] = run.GetAdjustedCPUTime();
    }
  }
  void PrintRatios() const {
    auto ratio = [&](const char* what, const char* base) {
      auto a = ns_.find(what), b = ns_.find(base);
      if (a == ns_.end() || b == ns_.end() || b->second == 0) return;
      std::printf("%-32s %6.2fx %s\n", what, a->second / b->second, base);
    };
    std::printf("\nRatios (CPU time per op, lower is better):\n");
    ratio("BM_AccessTokenIssue/EdDSA", "BM_RawEd25519Sign");
    ratio("BM_AccessTokenVerify/EdDSA", "BM_RawEd25519Verify");
    ratio("BM_AccessTokenIssue/ES256", "BM_RawEd25519Sign");
    ratio("BM_AccessTokenVerify/ES256", "BM_RawEd25519Verify");
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace
}  // namespace warden::tokens

int main(int argc, char** argv) {
  if (!warden::InitCrypto().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  warden::tokens::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
