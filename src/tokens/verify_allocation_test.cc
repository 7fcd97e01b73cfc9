// Verification must not allocate excessively: a bound on heap allocations
// per AccessTokenVerifier::Verify(), counted by replacing operator new in
// this test binary only. The bound catches regressions such as JSON being
// deep-copied out of its stack arena (33 allocations before the fix).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "core/counting_allocator.h"
#include "tokens/access_token_issuer.h"
#include "tokens/access_token_verifier.h"

namespace warden::tokens {
namespace {

TEST(VerifyAllocation, VerifyStaysUnderItsAllocationBudget) {
  const Timestamp now = FromMicros(int64_t{1'800'000'000} * 1'000'000);
  ManualClock clock(now);
  LifetimePolicy lifetimes;
  auto ring = SigningKeyRing::Create({}, {}, now).value();
  AccessTokenIssuer issuer("https://warden.example", *ring, lifetimes, clock);
  AccessTokenVerifierOptions options;
  options.issuer = "https://warden.example";
  options.audience = "https://api.example";
  AccessTokenVerifier verifier(options, *ring, clock);
  AccessTokenRequest request;
  request.subject = "0192f6a4-7b1c-7000-8000-00000000abcd";
  request.client_id = "billing-sync";
  request.audience = {"https://api.example"};
  request.scopes = {"invoices:read", "invoices:write", "customers:read"};
  request.tenant = "acme";
  const std::string token = issuer.Issue(request).value().token;

  constexpr int kRounds = 50;
  const uint64_t before = g_allocations.load();
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_TRUE(verifier.Verify(token).ok());
  }
  const double per_verify =
      static_cast<double>(g_allocations.load() - before) / kRounds;
  // Today: 13 (decoded segments, header strings, the returned claims).
  constexpr double kBudget = 16;
  EXPECT_LE(per_verify, kBudget);
  RecordProperty("allocations_per_verify", static_cast<int>(per_verify));
}

}  // namespace
}  // namespace warden::tokens
