#include "tokens/revocation_state.h"

#include <gtest/gtest.h>

#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
const Timestamp kNow = FromMicros(int64_t{1'800'000'000} * 1'000'000);

AccessTokenClaims Token(std::string sub, std::string jti, Timestamp iat,
                        std::optional<std::string> tenant = {}) {
  AccessTokenClaims c;
  c.subject = std::move(sub);
  c.jwt_id = std::move(jti);
  c.issued_at = iat;
  c.expires_at = iat + minutes(5);
  c.tenant = std::move(tenant);
  return c;
}

TEST(RevocationState, SubjectEpochDeactivatesEarlierTokensOnly) {
  RevocationState state;
  const auto before = Token("id-1", "a", kNow);
  const auto other = Token("id-2", "b", kNow);
  EXPECT_TRUE(state.IsActive(before, kNow));
  state.RevokeSubject("id-1", kNow + seconds(1));
  EXPECT_EQ(TokenErrorOf(state.CheckActive(before, kNow + seconds(1))),
            TokenError::kInactive);
  EXPECT_TRUE(state.IsActive(other, kNow + seconds(1)));
  EXPECT_TRUE(
      state.IsActive(Token("id-1", "c", kNow + seconds(1)), kNow + seconds(1)));
  // An earlier epoch never lowers a later one.
  state.RevokeSubject("id-1", kNow - minutes(1));
  EXPECT_FALSE(state.IsActive(before, kNow + seconds(1)));
}

TEST(RevocationState, TenantEpochDeactivatesTenantBoundTokens) {
  RevocationState state;
  const auto bound = Token("id-1", "a", kNow, "acme");
  const auto unbound = Token("id-1", "b", kNow);
  state.RevokeTenant("acme", kNow + seconds(1));
  EXPECT_FALSE(state.IsActive(bound, kNow + seconds(1)));
  EXPECT_TRUE(state.IsActive(unbound, kNow + seconds(1)));
  EXPECT_TRUE(
      state.IsActive(Token("id-1", "c", kNow, "globex"), kNow + seconds(1)));
}

TEST(RevocationState, MergeFromTakesEveryRevocationOfBoth) {
  RevocationState ours;
  RevocationState theirs;
  ASSERT_TRUE(ours.RevokeToken("a", kNow + minutes(5)).ok());
  ASSERT_TRUE(theirs.RevokeToken("b", kNow + minutes(5)).ok());
  ours.RevokeSubject("id-1", kNow - minutes(1));
  theirs.RevokeSubject("id-1", kNow + seconds(1));
  theirs.RevokeTenant("acme", kNow + seconds(1));
  ours.MergeFrom(theirs);
  EXPECT_FALSE(ours.IsActive(Token("id-2", "a", kNow), kNow));
  EXPECT_FALSE(ours.IsActive(Token("id-2", "b", kNow), kNow));
  // The later epoch wins, whichever side held it.
  EXPECT_FALSE(ours.IsActive(Token("id-1", "c", kNow), kNow + seconds(1)));
  EXPECT_FALSE(
      ours.IsActive(Token("id-3", "d", kNow, "acme"), kNow + seconds(1)));
  EXPECT_TRUE(theirs.IsActive(Token("id-2", "a", kNow), kNow));
}

TEST(RevocationState, DenyListRevokesOneToken) {
  RevocationState state;
  const auto a = Token("id-1", "a", kNow);
  ASSERT_TRUE(state.RevokeToken("a", a.expires_at).ok());
  EXPECT_EQ(TokenErrorOf(state.CheckActive(a, kNow)), TokenError::kInactive);
  EXPECT_TRUE(state.IsActive(Token("id-1", "b", kNow), kNow));
  EXPECT_EQ(TokenErrorOf(state.CheckActive(a, a.expires_at)),
            TokenError::kExpired);
}

TEST(RevocationState, PruneBoundsTheState) {
  RevocationState state;
  ASSERT_TRUE(state.RevokeToken("a", kNow + minutes(5)).ok());
  state.RevokeSubject("id-1", kNow);
  state.RevokeTenant("acme", kNow);
  EXPECT_EQ(state.Prune(kNow + minutes(4), minutes(30)), 0u);
  EXPECT_EQ(state.Prune(kNow + minutes(5), minutes(30)), 1u);
  EXPECT_EQ(state.denied_tokens(), 0u);
  EXPECT_EQ(state.Prune(kNow + minutes(30), minutes(30)), 2u);
}

TEST(RevocationState, DenyListIsBounded) {
  RevocationState state(1);
  ASSERT_TRUE(state.RevokeToken("a", kNow + minutes(5)).ok());
  EXPECT_EQ(state.RevokeToken("b", kNow + minutes(5)).code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(state.RevokeToken("a", kNow + minutes(6)).ok());
}

TEST(RevocationState, SerializeParseRoundTrip) {
  RevocationState state;
  state.RevokeSubject("id-1", kNow);
  state.RevokeTenant("acme", kNow);
  ASSERT_TRUE(state.RevokeToken("jti-1", kNow + minutes(5)).ok());
  auto restored = RevocationState::Parse(state.Serialize());
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_FALSE(
      (*restored)->IsActive(Token("id-1", "x", kNow - seconds(1)), kNow));
  EXPECT_FALSE((*restored)->IsActive(
      Token("id-2", "y", kNow - seconds(1), "acme"), kNow));
  EXPECT_FALSE((*restored)->IsActive(Token("id-2", "jti-1", kNow), kNow));
  EXPECT_TRUE((*restored)->IsActive(Token("id-2", "z", kNow), kNow));
  for (const char* bad :
       {"", "[]", "{}", R"({"v":2})", R"({"v":1,"denied":[]})",
        R"({"v":1,"denied":{"a":"x"}})"}) {
    EXPECT_FALSE(RevocationState::Parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace warden::tokens
