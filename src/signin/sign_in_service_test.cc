#include "signin/sign_in_service.h"

#include <gtest/gtest.h>

#include "secrets/key_encryption_key.h"
#include "service/service_test_env.h"
#include "signin/session_secret.h"
#include "signin/totp.h"
#include "signin/user_credential_service.h"

namespace warden::signin {
namespace {

using namespace std::chrono_literals;

constexpr char kPassword[] = "a long and right password";

class SignInServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    sealer_ = std::make_unique<TotpKeySealer>(kek_);
    sign_in_ = std::make_unique<SignInService>(*store_, *auditor_, *sealer_,
                                               nullptr, SessionPolicy{});
    credentials_ =
        std::make_unique<UserCredentialService>(*store_, *auditor_, *sealer_);
    SeedUser("ann", Role::kAccountManager);
    ASSERT_TRUE(credentials_->SetPassword(Admin(), "ann", kPassword).ok());
  }

  void SeedUser(const std::string& name, Role role) {
    User user;
    user.name = name;
    user.email = name + "@example.com";
    user.role = role;
    user.created_at = user.updated_at = clock_.Now();
    ASSERT_TRUE(
        store_->Write([&](Transaction& tx) { return tx.users().Insert(user); })
            .ok());
  }

  Result<SignedIn> SignIn(std::string user, std::string password,
                          std::string totp = {}) {
    return sign_in_->SignInWithPassword(
        {std::move(user), std::move(password), std::move(totp)},
        {"127.0.0.1:4000", "test-agent", "req-9"});
  }

  secrets::KeyEncryptionKey kek_ = secrets::KeyEncryptionKey::Generate();
  std::unique_ptr<TotpKeySealer> sealer_;
  std::unique_ptr<SignInService> sign_in_;
  std::unique_ptr<UserCredentialService> credentials_;
};

TEST_F(SignInServiceTest, RightPasswordStartsASessionThatAuthenticates) {
  AuditRecord record;
  Result<SignedIn> signed_in = SignIn("ann", kPassword);
  ASSERT_TRUE(signed_in.ok()) << signed_in.status().ToString();
  record = LastAudit();
  EXPECT_EQ(record.event.action, "session.create");
  EXPECT_EQ(record.event.outcome, "ok");
  EXPECT_EQ(record.event.actor, "ann");
  EXPECT_EQ(signed_in->csrf_token, CsrfTokenFor(signed_in->cookie_value));
  EXPECT_EQ(signed_in->expires_at, clock_.Now() + 12h);
  EXPECT_EQ(record.event.details.find(signed_in->cookie_value),
            std::string::npos);

  Result<Principal> principal = sign_in_->AuthenticateSession(
      signed_in->cookie_value, "", false, "r", "q");
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->user, "ann");
  EXPECT_EQ(principal->role, Role::kAccountManager);
}

TEST_F(SignInServiceTest, ChangesNeedTheSessionsCsrfToken) {
  Result<SignedIn> session = SignIn("ann", kPassword);
  ASSERT_TRUE(session.ok());
  Result<SignedIn> other = SignIn("ann", kPassword);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(sign_in_
                  ->AuthenticateSession(session->cookie_value,
                                        session->csrf_token, true, "r", "q")
                  .ok());
  for (const std::string& token : {std::string(), other->csrf_token}) {
    const Status refused =
        sign_in_
            ->AuthenticateSession(session->cookie_value, token, true, "r", "q")
            .status();
    EXPECT_EQ(refused.problem(), "csrf-token-invalid");
    EXPECT_EQ(LastAudit().event.outcome, "deny");
    EXPECT_EQ(LastAudit().event.actor, "ann");
  }
}

TEST_F(SignInServiceTest, WrongPasswordUnknownUserAndDisabledUserLookAlike) {
  SeedUser("bob", Role::kAuditor);  // no password
  for (const auto& [user, password] :
       std::vector<std::pair<std::string, std::string>>{
           {"ann", "a long and wrong password"},
           {"nobody", kPassword},
           {"bob", kPassword}}) {
    Result<SignedIn> refused = SignIn(user, password);
    EXPECT_EQ(refused.status().problem(), "invalid-credentials") << user;
    AuditRecord record = LastAudit();
    EXPECT_EQ(record.event.outcome, "unauthenticated") << user;
    EXPECT_EQ(record.event.actor, kAnonymousSubject);
    EXPECT_EQ(record.event.target, "user/" + user);
    EXPECT_EQ(record.event.details.find(password), std::string::npos);
  }
}

TEST_F(SignInServiceTest, RepeatedFailuresLockTheUserOutWithBackoff) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(SignIn("ann", "a long and wrong password").status().problem(),
              "invalid-credentials");
  }
  // Locked: even the right password is refused until the lockout ends.
  Result<SignedIn> locked = SignIn("ann", kPassword);
  EXPECT_EQ(locked.status().problem(), "locked-out");
  EXPECT_EQ(locked.status().retry_after(), 30s);
  clock_.Advance(31s);
  EXPECT_EQ(SignIn("ann", "a long and wrong password").status().problem(),
            "invalid-credentials");
  EXPECT_EQ(SignIn("ann", kPassword).status().retry_after(), 60s);
  clock_.Advance(61s);
  EXPECT_TRUE(SignIn("ann", kPassword).ok());
  // A success resets the count.
  EXPECT_EQ(SignIn("ann", "a long and wrong password").status().problem(),
            "invalid-credentials");
  EXPECT_TRUE(SignIn("ann", kPassword).ok());
}

TEST_F(SignInServiceTest, TotpIsRequiredCheckedAndUsedOnce) {
  Result<TotpEnrollment> enrolled = credentials_->EnrollTotp(Admin(), "ann");
  ASSERT_TRUE(enrolled.ok()) << enrolled.status().ToString();
  const std::string key = Base32Decode(enrolled->secret).value();
  EXPECT_EQ(SignIn("ann", kPassword).status().problem(), "totp-required");
  const std::string code = TotpCode(key, TotpStep(clock_.Now()));
  const std::string wrong = code == "000000" ? "000001" : "000000";
  EXPECT_EQ(SignIn("ann", kPassword, wrong).status().problem(),
            "invalid-credentials");
  EXPECT_TRUE(SignIn("ann", kPassword, code).ok());
  EXPECT_EQ(SignIn("ann", kPassword, code).status().problem(),
            "invalid-credentials");  // replayed
  ASSERT_TRUE(credentials_->RemoveTotp(Admin(), "ann").ok());
  EXPECT_TRUE(SignIn("ann", kPassword).ok());
}

TEST_F(SignInServiceTest, SessionsEndOnSignOutIdlenessAgeAndDisable) {
  Result<SignedIn> first = SignIn("ann", kPassword);
  ASSERT_TRUE(first.ok());
  const Caller caller = As(Role::kAccountManager, "ann");
  ASSERT_TRUE(sign_in_->SignOut(caller, first->cookie_value).ok());
  EXPECT_EQ(LastAudit().event.action, "session.end");
  EXPECT_EQ(
      sign_in_->AuthenticateSession(first->cookie_value, "", false, "r", "q")
          .status()
          .code(),
      StatusCode::kUnauthenticated);

  Result<SignedIn> idle = SignIn("ann", kPassword);
  ASSERT_TRUE(idle.ok());
  clock_.Advance(16min);
  EXPECT_EQ(
      sign_in_->AuthenticateSession(idle->cookie_value, "", false, "r", "q")
          .status()
          .problem(),
      "session-expired");

  Result<SignedIn> busy = SignIn("ann", kPassword);
  ASSERT_TRUE(busy.ok());
  for (int i = 0; i < 14 * 6; ++i) {  // active every 10 minutes for 14 h
    clock_.Advance(10min);
    Result<Principal> p =
        sign_in_->AuthenticateSession(busy->cookie_value, "", false, "r", "q");
    if (i < 71) {
      ASSERT_TRUE(p.ok()) << i;
      // The touch is asynchronous; a synchronous write after it orders it.
      ASSERT_TRUE(
          store_->Write([](Transaction&) { return Status::Ok(); }).ok());
    } else {
      EXPECT_EQ(p.status().problem(), "session-expired") << i;
    }
  }

  Result<SignedIn> last = SignIn("ann", kPassword);
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> Status {
                    WARDEN_ASSIGN_OR_RETURN(User ann, tx.users().Get("ann"));
                    ann.disabled = true;
                    return tx.users().Update(ann);
                  })
                  .ok());
  EXPECT_FALSE(
      sign_in_->AuthenticateSession(last->cookie_value, "", false, "r", "q")
          .ok());
}

TEST_F(SignInServiceTest, MalformedCookiesAreRefusedAndAudited) {
  for (const std::string& cookie :
       {std::string(), std::string("wss_short"), NewSessionCookieValue()}) {
    const size_t before = AuditCount();
    EXPECT_EQ(sign_in_->AuthenticateSession(cookie, "", false, "r", "q")
                  .status()
                  .code(),
              StatusCode::kUnauthenticated);
    EXPECT_EQ(AuditCount(), before + 1);
  }
}

TEST_F(SignInServiceTest, PasswordsAreSetBySelfOrAdminOnly) {
  SeedUser("carl", Role::kAuditor);
  EXPECT_EQ(credentials_
                ->SetPassword(As(Role::kAuditor, "carl"), "ann",
                              "a new password of carl")
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(credentials_
                  ->SetPassword(As(Role::kAuditor, "carl"), "carl",
                                "carl's own long password")
                  .ok());
  EXPECT_EQ(credentials_->SetPassword(Admin(), "carl", "short").problem(),
            "weak-password");
  EXPECT_EQ(
      credentials_->SetPassword(Admin(), "nobody", "a long password").code(),
      StatusCode::kNotFound);
  // An admin's reset ends the user's sessions.
  Result<SignedIn> session = SignIn("ann", kPassword);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(
      credentials_->SetPassword(Admin(), "ann", "another long password").ok());
  EXPECT_FALSE(
      sign_in_->AuthenticateSession(session->cookie_value, "", false, "r", "q")
          .ok());
}

TEST_F(SignInServiceTest, FederatedSignInProvisionsOnlyMappedUsers) {
  FederatedSignIn who;
  who.user = "dana";
  who.issuer = "https://idp.example";
  who.subject = "sub-1";
  SignInOrigin origin{"127.0.0.1:1", "agent", "req"};
  EXPECT_EQ(sign_in_->SignInFederated(who, origin).status().problem(),
            "invalid-credentials");
  who.role = Role::kSecurity;
  Result<SignedIn> provisioned = sign_in_->SignInFederated(who, origin);
  ASSERT_TRUE(provisioned.ok()) << provisioned.status().ToString();
  EXPECT_EQ(provisioned->user.role, Role::kSecurity);
  EXPECT_EQ(provisioned->method, "oidc");
  // An existing user keeps its own role whatever the claim maps to.
  who.user = "ann";
  who.role = Role::kAdmin;
  Result<SignedIn> existing = sign_in_->SignInFederated(who, origin);
  ASSERT_TRUE(existing.ok());
  EXPECT_EQ(existing->user.role, Role::kAccountManager);
}

}  // namespace
}  // namespace warden::signin
