#include "authz/authorizer.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace warden {
namespace {

constexpr std::array kPermissions = {
    Permission::kTeamRead,          Permission::kTeamWrite,
    Permission::kIdentityRead,      Permission::kIdentityWrite,
    Permission::kIdentityLifecycle, Permission::kIdentityRevoke,
    Permission::kExceptionRead,     Permission::kExceptionRequest,
    Permission::kExceptionDecide,   Permission::kUserRead,
    Permission::kUserWrite,         Permission::kApiTokenRead,
    Permission::kApiTokenWrite,     Permission::kAuditRead,
    Permission::kFlagRead,          Permission::kFlagWrite,
    Permission::kTenantRead,        Permission::kTenantWrite,
    Permission::kLimitRead,         Permission::kLimitSet,
    Permission::kLimitLift,         Permission::kFlagSetWrite,
    Permission::kAccessPolicyRead,  Permission::kAccessPolicyWrite,
    Permission::kAccessEvaluate,
};

// One row per role, one column per permission in kPermissions order:
// 'Y' allowed on any team, 'T' only on the principal's own team, 'A' only on
// tenants the principal manages (AuthorizeOnAccounts), '.' denied.
struct Row {
  Role role;
  const char* grants;
};
constexpr std::array kTable = {
    Row{Role::kAdmin,
        "YYYYYYYYYYYYYY"
        "YYYYYYYY"
        "YYY"},
    Row{Role::kSecurity,
        "Y.YYYYY.YY.Y.Y"
        "Y.Y.YYY."
        "YYY"},
    Row{Role::kAccountManager,
        "Y.Y...Y......."
        "Y.Y.YAA."
        "..."},
    Row{Role::kAppOwner,
        "Y.YTTTYT......"
        "YTY.Y..."
        "Y.."},
    Row{Role::kAuditor,
        "Y.Y...Y..Y.Y.Y"
        "Y.Y.Y..."
        "Y.."},
    Row{Role::kSdk,
        ".............."
        "........"
        "..Y"},
};

Principal Of(Role role, std::string team = "payments") {
  Principal p;
  p.subject = "alice";
  p.role = role;
  p.team = std::move(team);
  return p;
}

TEST(AuthorizerTest, EveryRoleAndPermissionMatchesTheTable) {
  for (const Row& row : kTable) {
    ASSERT_EQ(std::string(row.grants).size(), kPermissions.size());
    for (size_t i = 0; i < kPermissions.size(); ++i) {
      const Permission perm = kPermissions[i];
      const char want = row.grants[i];
      const Principal p = Of(row.role);
      SCOPED_TRACE(std::string(Name(row.role)) + " " + std::string(Name(perm)));
      EXPECT_EQ(Authorize(p, perm, "payments").allowed,
                want == 'Y' || want == 'T');
      EXPECT_EQ(Authorize(p, perm, "search").allowed, want == 'Y');
      EXPECT_EQ(Authorize(p, perm, "").allowed, want == 'Y');
      // "alice" manages the first account, "carol" the second.
      EXPECT_EQ(AuthorizeOnAccounts(p, perm, {"alice"}).allowed,
                want == 'Y' || want == 'A');
      EXPECT_EQ(AuthorizeOnAccounts(p, perm, {"alice", "carol"}).allowed,
                want == 'Y');
      EXPECT_EQ(AuthorizeOnAccounts(p, perm, {}).allowed, want == 'Y');
    }
  }
}

TEST(AuthorizerTest, AppOwnerWithoutTeamGetsNoTeamScopedGrant) {
  const Principal p = Of(Role::kAppOwner, "");
  EXPECT_FALSE(Authorize(p, Permission::kIdentityWrite, "").allowed);
  EXPECT_FALSE(Authorize(p, Permission::kIdentityWrite, "payments").allowed);
  EXPECT_TRUE(Authorize(p, Permission::kIdentityRead, "payments").allowed);
}

TEST(AuthorizerTest, DenialReasonNamesRolePermissionAndTeam) {
  const AuthzDecision d =
      Authorize(Of(Role::kAppOwner), Permission::kIdentityRevoke, "search");
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("app_owner"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("identity.revoke"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("search"), std::string::npos) << d.reason;

  const AuthzDecision sdk = Authorize(Of(Role::kSdk), Permission::kTeamRead);
  EXPECT_NE(sdk.reason.find("sdk"), std::string::npos) << sdk.reason;
  EXPECT_NE(sdk.reason.find("team.read"), std::string::npos) << sdk.reason;
}

TEST(AuthorizerTest, AccountManagerDenialNamesTheOtherManager) {
  const AuthzDecision d = AuthorizeOnAccounts(Of(Role::kAccountManager),
                                              Permission::kLimitSet, {"carol"});
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("carol"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("limit.set"), std::string::npos) << d.reason;
}

TEST(AuthorizerTest, PermissionNamesAreDistinct) {
  for (size_t i = 0; i < kPermissions.size(); ++i) {
    for (size_t j = i + 1; j < kPermissions.size(); ++j) {
      EXPECT_NE(Name(kPermissions[i]), Name(kPermissions[j]));
    }
  }
}

}  // namespace
}  // namespace warden
