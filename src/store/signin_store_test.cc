// The Store contract for console sign-in (users' credentials, console
// sessions, pending OIDC logins), run against every implementation.
#include <gtest/gtest.h>

#include <string>

#include "store/store.h"
#include "store/store_test_fixture.h"

namespace warden {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = kStoreTestT0;

using SigninStoreTest = StoreContractTest;

ConsoleSession MakeSession(const std::string& id_hash,
                           const std::string& user) {
  ConsoleSession s;
  s.id_hash = id_hash;
  s.user = user;
  s.method = "password";
  s.created_at = s.last_seen_at = kT0;
  s.expires_at = kT0 + 12h;
  s.remote = "127.0.0.1:5000";
  s.user_agent = "test";
  return s;
}

TEST_P(SigninStoreTest, CredentialUpsertsAndRoundTrips) {
  EXPECT_EQ(ReadStatus([](Transaction& tx) {
              return tx.user_credentials().Get("alice").status();
            }).code(),
            StatusCode::kNotFound);
  UserCredential c;
  c.user = "alice";
  c.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$x$y";
  c.updated_at = kT0;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.user_credentials().Put(c);
              }).ok());
  c.failed_attempts = 3;
  c.locked_until = kT0 + 1min;
  c.totp_sealed = "sealed";
  c.totp_last_step = 42;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.user_credentials().Put(c);
              }).ok());
  UserCredential read = ReadValue<UserCredential>(
      [](Transaction& tx) { return tx.user_credentials().Get("alice"); });
  EXPECT_EQ(read.password_hash, c.password_hash);
  EXPECT_EQ(read.failed_attempts, 3);
  EXPECT_EQ(read.locked_until, kT0 + 1min);
  EXPECT_EQ(read.totp_sealed, "sealed");
  EXPECT_EQ(read.totp_last_step, 42);
}

TEST_P(SigninStoreTest, SessionsEndTouchAndExpire) {
  ASSERT_TRUE(Write([](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(
                    tx.console_sessions().Insert(MakeSession("h1", "alice")));
                WARDEN_RETURN_IF_ERROR(
                    tx.console_sessions().Insert(MakeSession("h2", "alice")));
                return tx.console_sessions().Insert(MakeSession("h3", "bob"));
              }).ok());
  ASSERT_TRUE(Write([](Transaction& tx) {
                return tx.console_sessions().Touch("h1", kT0 + 5min);
              }).ok());
  // Touch never moves last_seen_at backwards.
  ASSERT_TRUE(Write([](Transaction& tx) {
                return tx.console_sessions().Touch("h1", kT0 + 1min);
              }).ok());
  ConsoleSession h1 = ReadValue<ConsoleSession>(
      [](Transaction& tx) { return tx.console_sessions().Get("h1"); });
  EXPECT_EQ(h1.last_seen_at, kT0 + 5min);
  EXPECT_FALSE(h1.ended_at.has_value());

  ASSERT_TRUE(Write([](Transaction& tx) {
                return tx.console_sessions().End("h1", kT0 + 6min);
              }).ok());
  EXPECT_EQ(ReadValue<ConsoleSession>([](Transaction& tx) {
              return tx.console_sessions().Get("h1");
            }).ended_at,
            kT0 + 6min);
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.console_sessions().End("nope", kT0);
            }).code(),
            StatusCode::kNotFound);

  int64_t ended = 0;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_ASSIGN_OR_RETURN(
                    ended, tx.console_sessions().EndAllOf("alice", kT0 + 7min));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(ended, 1);  // h2; h1 had ended already
  EXPECT_FALSE(ReadValue<ConsoleSession>([](Transaction& tx) {
                 return tx.console_sessions().Get("h3");
               }).ended_at.has_value());

  int64_t deleted = 0;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_ASSIGN_OR_RETURN(
                    deleted,
                    tx.console_sessions().DeleteFinishedBefore(kT0 + 13h));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(deleted, 3);
}

TEST_P(SigninStoreTest, OidcLoginIsTakenOnce) {
  OidcLogin login;
  login.state_hash = "s1";
  login.nonce = "n";
  login.code_verifier = "v";
  login.return_to = "/ui/";
  login.created_at = kT0;
  login.expires_at = kT0 + 10min;
  ASSERT_TRUE(Write([&](Transaction& tx) {
                return tx.oidc_logins().Insert(login);
              }).ok());
  OidcLogin taken;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_ASSIGN_OR_RETURN(taken, tx.oidc_logins().Take("s1"));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(taken.code_verifier, "v");
  EXPECT_EQ(taken.return_to, "/ui/");
  EXPECT_EQ(Write([](Transaction& tx) {
              return tx.oidc_logins().Take("s1").status();
            }).code(),
            StatusCode::kNotFound);
  login.state_hash = "s2";
  int64_t deleted = 0;
  ASSERT_TRUE(Write([&](Transaction& tx) -> Status {
                WARDEN_RETURN_IF_ERROR(tx.oidc_logins().Insert(login));
                WARDEN_ASSIGN_OR_RETURN(
                    deleted, tx.oidc_logins().DeleteExpired(kT0 + 10min));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(deleted, 1);
}

INSTANTIATE_TEST_SUITE_P(Implementations, SigninStoreTest,
                         testing::ValuesIn(StoreImplementations()),
                         StoreImplementationName);

}  // namespace
}  // namespace warden
