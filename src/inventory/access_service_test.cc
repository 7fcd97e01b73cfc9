#include "inventory/access_service.h"

#include "core/crypto.h"
#include "service/service_test_env.h"

namespace warden::inventory {
namespace {

using std::chrono::days;
using std::chrono::minutes;

class AccessServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    access_ = std::make_unique<AccessService>(*store_, *auditor_);
    SeedTeam("payments");
  }
  void TearDown() override {
    access_.reset();
    ServiceTestEnv::TearDown();
  }
  IssuedToken MustCreate(const TokenRequest& request) {
    Result<IssuedToken> issued = access_->CreateToken(Admin(), request);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued.ok() ? *issued : IssuedToken{};
  }
  static TokenRequest RoleRequest(Role role) {
    TokenRequest request;
    request.role = role;
    return request;
  }
  Result<Principal> Auth(std::string_view token) {
    return access_->Authenticate(token, "10.0.0.1:4000", "req-auth");
  }
  // Usage stamps are written asynchronously: a synchronous write queued
  // after them commits after them.
  ApiToken Stored(const std::string& id) {
    EXPECT_TRUE(store_->Write([](Transaction&) { return Status::Ok(); }).ok());
    ApiToken token;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(token, tx.api_tokens().Get(id));
                      return Status::Ok();
                    })
                    .ok());
    return token;
  }
  std::unique_ptr<AccessService> access_;
};

TEST_F(AccessServiceTest, BootstrapOnlyWhenNoTokenExists) {
  Result<std::optional<std::string>> first = access_->BootstrapAdminToken();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->rfind("wdn_", 0), 0u);
  EXPECT_EQ((*first)->size(), 4u + 43u);
  Result<std::optional<std::string>> second = access_->BootstrapAdminToken();
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  Result<Principal> p = Auth(**first);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->role, Role::kAdmin);
  EXPECT_EQ(p->subject, "bootstrap");
}

TEST_F(AccessServiceTest, OnlyTheHashIsStoredAndNothingSecretIsAudited) {
  const IssuedToken issued = MustCreate(RoleRequest(Role::kAuditor));
  EXPECT_EQ(issued.token.secret_hash, Sha256Hex(issued.secret));
  const ApiToken stored = Stored(issued.token.id);
  EXPECT_EQ(stored.secret_hash, Sha256Hex(issued.secret));
  ASSERT_TRUE(Auth(issued.secret).ok());
  ASSERT_FALSE(Auth(issued.secret + "x").ok());
  ASSERT_TRUE(access_->ListTokens(Admin()).ok());
  for (const AuditRecord& r : AuditLog()) {
    EXPECT_EQ(r.event.details.find(issued.secret.substr(4)), std::string::npos)
        << r.event.details;
    EXPECT_EQ(r.event.details.find(stored.secret_hash), std::string::npos)
        << r.event.details;
  }
}

TEST_F(AccessServiceTest, AuthenticateResolvesThePrincipal) {
  TokenRequest request = RoleRequest(Role::kSdk);
  request.environment = Environment::kStaging;
  request.tenant = "acme";
  const IssuedToken issued = MustCreate(request);
  Result<Principal> p = Auth(issued.secret);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->subject, "token:" + issued.token.id);
  EXPECT_EQ(p->token_id, issued.token.id);
  EXPECT_EQ(p->role, Role::kSdk);
  EXPECT_EQ(p->environment, Environment::kStaging);
  EXPECT_EQ(p->tenant, "acme");
}

TEST_F(AccessServiceTest, FailuresAreUnauthenticatedAndAuditedWithoutText) {
  const std::string bogus = "wdn_" + std::string(43, 'A');
  Result<Principal> p = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(p = Auth(bogus));
  EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(record.event.actor, "anonymous");
  EXPECT_EQ(record.event.action, "auth.authenticate");
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_EQ(record.event.details.find(bogus.substr(4)), std::string::npos);
  EXPECT_NE(record.event.details.find(Sha256Hex(bogus).substr(0, 8)),
            std::string::npos);
  EXPECT_EQ(Details(record).at("request_id").as_string(), "req-auth");
  EXPECT_EQ(Auth("").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Auth("Bearer nope").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Auth(std::string(100000, 'w')).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(AccessServiceTest, ExpiredAndRevokedTokensAreRefused) {
  TokenRequest request = RoleRequest(Role::kAuditor);
  request.ttl = std::chrono::hours(1);
  const IssuedToken short_lived = MustCreate(request);
  const IssuedToken revoked = MustCreate(RoleRequest(Role::kAuditor));
  ASSERT_TRUE(access_->RevokeToken(Admin(), revoked.token.id).ok());
  EXPECT_EQ(access_->RevokeToken(Admin(), revoked.token.id).status().code(),
            StatusCode::kFailedPrecondition);
  const Status r = Auth(revoked.secret).status();
  EXPECT_EQ(r.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(r.message().find("revoked"), std::string::npos);
  ASSERT_TRUE(Auth(short_lived.secret).ok());
  clock_.Advance(std::chrono::hours(1));
  const Status e = Auth(short_lived.secret).status();
  EXPECT_EQ(e.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(e.message().find("expired"), std::string::npos);
}

TEST_F(AccessServiceTest, UserTokensInheritRoleAndTeamAndDieWithTheUser) {
  User user;
  user.name = "olive";
  user.role = Role::kAppOwner;
  user.team = "payments";
  ASSERT_TRUE(access_->CreateUser(Admin(), user).ok());
  TokenRequest request;
  request.user = "olive";
  const IssuedToken issued = MustCreate(request);
  Result<Principal> p = Auth(issued.secret);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->subject, "olive");
  EXPECT_EQ(p->role, Role::kAppOwner);
  EXPECT_EQ(p->team, "payments");
  request.role = Role::kAdmin;
  EXPECT_EQ(access_->CreateToken(Admin(), request).status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(access_->SetUserDisabled(Admin(), "olive", true).ok());
  EXPECT_EQ(Auth(issued.secret).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AccessServiceTest, TokenRequestRules) {
  auto code = [&](const TokenRequest& r) {
    return access_->CreateToken(Admin(), r).status().code();
  };
  EXPECT_EQ(code(TokenRequest{}), StatusCode::kInvalidArgument);  // no role
  TokenRequest owner = RoleRequest(Role::kAppOwner);
  EXPECT_EQ(code(owner), StatusCode::kInvalidArgument);  // no team
  owner.team = "ghosts";
  EXPECT_EQ(code(owner), StatusCode::kFailedPrecondition);
  owner.team = "payments";
  EXPECT_EQ(code(owner), StatusCode::kOk);
  TokenRequest sdk = RoleRequest(Role::kSdk);
  EXPECT_EQ(code(sdk), StatusCode::kInvalidArgument);  // no environment
  TokenRequest admin = RoleRequest(Role::kAdmin);
  admin.tenant = "acme";
  EXPECT_EQ(code(admin), StatusCode::kInvalidArgument);  // tenant is sdk-only
  admin.tenant.clear();
  admin.ttl = days(366);
  EXPECT_EQ(code(admin), StatusCode::kInvalidArgument);
  admin.ttl = days(365);
  EXPECT_EQ(code(admin), StatusCode::kOk);
}

TEST_F(AccessServiceTest, OnlyAdminManagesUsersAndTokens) {
  for (Role role : {Role::kSecurity, Role::kAuditor, Role::kAppOwner}) {
    const Caller caller = As(role, "someone", "payments");
    EXPECT_EQ(
        access_->CreateToken(caller, RoleRequest(Role::kAdmin)).status().code(),
        StatusCode::kPermissionDenied);
    User user;
    user.name = "mallory";
    EXPECT_EQ(access_->CreateUser(caller, user).status().code(),
              StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(access_->ListUsers(As(Role::kAuditor, "aud")).ok());
  EXPECT_TRUE(access_->ListTokens(As(Role::kSecurity, "sec")).ok());
  EXPECT_EQ(
      access_->ListTokens(As(Role::kAccountManager, "am")).status().code(),
      StatusCode::kPermissionDenied);
}

TEST_F(AccessServiceTest, UserRules) {
  User user;
  user.name = "system";
  EXPECT_EQ(access_->CreateUser(Admin(), user).status().code(),
            StatusCode::kInvalidArgument);
  user.name = "token:abc";
  EXPECT_EQ(access_->CreateUser(Admin(), user).status().code(),
            StatusCode::kInvalidArgument);
  user.name = "olive";
  user.role = Role::kAppOwner;
  EXPECT_EQ(access_->CreateUser(Admin(), user).status().code(),
            StatusCode::kInvalidArgument);
  user.team = "payments";
  ASSERT_TRUE(access_->CreateUser(Admin(), user).ok());
  EXPECT_EQ(access_->CreateUser(Admin(), user).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(access_->GetUser(Admin(), "olive")->team, "payments");
}

TEST_F(AccessServiceTest, LastUsedIsStampedAtMostOncePerMinute) {
  const IssuedToken issued = MustCreate(RoleRequest(Role::kAuditor));
  EXPECT_FALSE(Stored(issued.token.id).last_used_at.has_value());
  const Timestamp first = clock_.Now();
  ASSERT_TRUE(Auth(issued.secret).ok());
  EXPECT_EQ(Stored(issued.token.id).last_used_at, first);
  clock_.Advance(std::chrono::seconds(30));
  ASSERT_TRUE(Auth(issued.secret).ok());
  EXPECT_EQ(Stored(issued.token.id).last_used_at, first);
  clock_.Advance(minutes(1));
  ASSERT_TRUE(Auth(issued.secret).ok());
  EXPECT_EQ(Stored(issued.token.id).last_used_at, clock_.Now());
}

TEST_F(AccessServiceTest, CachedAuthenticationNeedsNoStore) {
  access_->CacheAuthentications(changes_);
  const IssuedToken cached = MustCreate(RoleRequest(Role::kAuditor));
  const IssuedToken uncached = MustCreate(RoleRequest(Role::kAuditor));
  ASSERT_TRUE(Auth(cached.secret).ok());
  store_->Close();
  Result<Principal> again = Auth(cached.secret);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->token_id, cached.token.id);
  EXPECT_EQ(Auth(uncached.secret).status().code(), StatusCode::kUnavailable);
}

TEST_F(AccessServiceTest, RevocationEvictsCachedAuthentication) {
  access_->CacheAuthentications(changes_);
  const IssuedToken issued = MustCreate(RoleRequest(Role::kAuditor));
  ASSERT_TRUE(Auth(issued.secret).ok());
  ASSERT_TRUE(access_->RevokeToken(Admin(), issued.token.id).ok());
  EXPECT_EQ(Auth(issued.secret).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AccessServiceTest, DisabledUserEvictsCachedAuthentication) {
  access_->CacheAuthentications(changes_);
  User user;
  user.name = "olive";
  user.role = Role::kAuditor;
  ASSERT_TRUE(access_->CreateUser(Admin(), user).ok());
  TokenRequest request;
  request.user = "olive";
  const IssuedToken issued = MustCreate(request);
  ASSERT_TRUE(Auth(issued.secret).ok());
  ASSERT_TRUE(access_->SetUserDisabled(Admin(), "olive", true).ok());
  EXPECT_EQ(Auth(issued.secret).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AccessServiceTest, CachedTokenStillExpires) {
  access_->CacheAuthentications(changes_);
  TokenRequest request = RoleRequest(Role::kAuditor);
  request.ttl = std::chrono::seconds(10);
  const IssuedToken issued = MustCreate(request);
  ASSERT_TRUE(Auth(issued.secret).ok());
  clock_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(Auth(issued.secret).status().code(), StatusCode::kUnauthenticated);
}

// The stamp of a cache hit: filled 50 s after the last stamp, the entry
// turns stale 10 s later while still cached.
TEST_F(AccessServiceTest, CachedTokenIsStampedOncePerMinute) {
  access_->CacheAuthentications(changes_);
  const IssuedToken issued = MustCreate(RoleRequest(Role::kAuditor));
  const Timestamp first = clock_.Now();
  ASSERT_TRUE(Auth(issued.secret).ok());
  EXPECT_EQ(Stored(issued.token.id).last_used_at, first);
  clock_.Advance(std::chrono::seconds(50));
  ASSERT_TRUE(Auth(issued.secret).ok());
  EXPECT_EQ(Stored(issued.token.id).last_used_at, first);
  clock_.Advance(std::chrono::seconds(15));
  ASSERT_TRUE(Auth(issued.secret).ok());
  ASSERT_TRUE(Auth(issued.secret).ok());
  EXPECT_EQ(Stored(issued.token.id).last_used_at, clock_.Now());
}

}  // namespace
}  // namespace warden::inventory
