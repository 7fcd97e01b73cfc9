#include "tokens/signing_key_ring.h"

#include <gtest/gtest.h>

#include <thread>

#include "tokens/jws.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const Timestamp kStart = FromMicros(int64_t{1'800'000'000} * 1'000'000);

KeyRotationPolicy Policy() {
  KeyRotationPolicy p;
  p.rotation_period = hours(24);
  p.max_token_lifetime = hours(1);
  return p;
}

std::unique_ptr<SigningKeyRing> NewRing(Timestamp now = kStart) {
  auto ring = SigningKeyRing::Create(Policy(), {}, now);
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  return std::move(*ring);
}

std::string SignWith(const SigningKeyRing& ring) {
  auto token = SignCompactJws(*ring.Published()->current, "at+jwt", "{}");
  EXPECT_TRUE(token.ok());
  return *token;
}

Status VerifyWith(const SigningKeyRing& ring, const std::string& token) {
  auto parsed = ParseCompactJws(token);
  if (!parsed.ok()) return parsed.status();
  return VerifyJwsWithResolver(*parsed, ring);
}

TEST(SigningKeyRing, FreshRingPublishesCurrentAndNext) {
  auto ring = NewRing();
  auto published = ring->Published();
  ASSERT_NE(published->current, nullptr);
  ASSERT_EQ(published->verification_keys.size(), 2u);
  EXPECT_EQ(published->verification_keys[0]->kid(), published->current->kid());
  EXPECT_NE(published->jwks_json.find(published->verification_keys[1]->kid()),
            std::string::npos);
  auto exported = ring->Export();
  ASSERT_TRUE(exported.ok());
  ASSERT_EQ(exported->size(), 2u);
}

TEST(SigningKeyRing, NextKeyIsPublishedBeforeItSigns) {
  auto ring = NewRing();
  const std::string next_kid = ring->Published()->verification_keys[1]->kid();
  EXPECT_NE(ring->Published()->current->kid(), next_kid);
  ASSERT_TRUE(ring->RotateNow(kStart + hours(1)).ok());
  EXPECT_EQ(ring->Published()->current->kid(), next_kid);
}

TEST(SigningKeyRing, ScheduledRotationKeepsRetiredKeyUntilTokensExpire) {
  auto ring = NewRing();
  const std::string old_token = SignWith(*ring);
  auto changed = ring->Maintain(kStart + hours(23));
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(*changed);

  const Timestamp rotated_at = kStart + hours(24);
  changed = ring->Maintain(rotated_at);
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(*changed);
  EXPECT_EQ(ring->Published()->verification_keys.size(), 3u);
  EXPECT_TRUE(VerifyWith(*ring, old_token).ok());  // retired, still published

  changed = ring->Maintain(rotated_at + hours(1) - seconds(1));
  EXPECT_FALSE(*changed);
  EXPECT_TRUE(VerifyWith(*ring, old_token).ok());
  changed = ring->Maintain(rotated_at + hours(1));
  EXPECT_TRUE(*changed);
  EXPECT_EQ(TokenErrorOf(VerifyWith(*ring, old_token)),
            TokenError::kUnknownKey);
  EXPECT_EQ(ring->Published()->verification_keys.size(), 2u);
}

TEST(SigningKeyRing, EmergencyRotationDropsCompromisedKeyAtOnce) {
  auto ring = NewRing();
  const std::string token = SignWith(*ring);
  ASSERT_TRUE(ring->RotateNow(kStart, RetireMode::kRemoveImmediately).ok());
  EXPECT_EQ(TokenErrorOf(VerifyWith(*ring, token)), TokenError::kUnknownKey);
  EXPECT_EQ(ring->Published()->verification_keys.size(), 2u);
}

TEST(SigningKeyRing, ExportThenCreateRestoresTheRing) {
  auto ring = NewRing();
  ASSERT_TRUE(ring->RotateNow(kStart + hours(1)).ok());
  const std::string token = SignWith(*ring);
  auto exported = ring->Export();
  ASSERT_TRUE(exported.ok());
  auto restored =
      SigningKeyRing::Create(Policy(), *exported, kStart + hours(2));
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ((*restored)->Published()->current->kid(),
            ring->Published()->current->kid());
  EXPECT_EQ((*restored)->Published()->verification_keys.size(), 3u);
  EXPECT_TRUE(VerifyWith(**restored, token).ok());
}

TEST(SigningKeyRing, ReloadTakesAnotherReplicasRotation) {
  auto ours = NewRing();
  auto exported = ours->Export();
  ASSERT_TRUE(exported.ok());
  auto theirs = SigningKeyRing::Create(Policy(), *exported, kStart);
  ASSERT_TRUE(theirs.ok());
  ASSERT_TRUE((*theirs)->RotateNow(kStart + hours(1)).ok());
  const std::string token = SignWith(**theirs);
  EXPECT_FALSE(VerifyWith(*ours, token).ok() &&
               ours->Published()->current->kid() ==
                   (*theirs)->Published()->current->kid());
  auto rotated = (*theirs)->Export();
  ASSERT_TRUE(rotated.ok());
  ASSERT_TRUE(ours->Reload(*rotated, kStart + hours(1)).ok());
  EXPECT_EQ(ours->Published()->current->kid(),
            (*theirs)->Published()->current->kid());
  EXPECT_TRUE(VerifyWith(*ours, token).ok());
  // A corrupt store leaves the ring as it was.
  auto corrupt = *rotated;
  corrupt[0].private_key.resize(5);
  EXPECT_FALSE(ours->Reload(corrupt, kStart + hours(1)).ok());
  EXPECT_TRUE(VerifyWith(*ours, token).ok());
}

TEST(SigningKeyRing, RefusesCorruptStoredKeys) {
  auto ring = NewRing();
  auto exported = ring->Export();
  ASSERT_TRUE(exported.ok());
  auto swapped = *exported;
  std::swap(swapped[0].private_key, swapped[1].private_key);
  EXPECT_FALSE(SigningKeyRing::Create(Policy(), swapped, kStart).ok());
  auto two_current = *exported;
  for (auto& k : two_current) k.state = KeyState::kCurrent;
  EXPECT_FALSE(SigningKeyRing::Create(Policy(), two_current, kStart).ok());
  auto truncated = *exported;
  truncated[0].private_key.resize(5);
  EXPECT_FALSE(SigningKeyRing::Create(Policy(), truncated, kStart).ok());
}

TEST(SigningKeyRing, Es256Ring) {
  KeyRotationPolicy p = Policy();
  p.algorithm = JwsAlgorithm::kES256;
  auto ring = SigningKeyRing::Create(p, {}, kStart);
  ASSERT_TRUE(ring.ok());
  EXPECT_EQ((*ring)->Published()->current->algorithm(), JwsAlgorithm::kES256);
  EXPECT_TRUE(VerifyWith(**ring, SignWith(**ring)).ok());
}

TEST(SigningKeyRing, ReadersRunWhileWritersRotate) {
  auto ring = NewRing();
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread reader([&] {
    while (!stop) {
      // A token signed from a snapshot verifies against a later snapshot:
      // rotation retires keys, it never drops them.
      if (!VerifyWith(*ring, SignWith(*ring)).ok()) ++failures;
    }
  });
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(ring->RotateNow(kStart).ok());
  }
  stop = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace warden::tokens
