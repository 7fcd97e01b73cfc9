#include "authz/workload_authorizer.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

Principal Workload(std::string identity, std::vector<std::string> scopes) {
  Principal p;
  p.subject = "client:" + identity;
  p.role = Role::kSdk;
  p.workload = WorkloadCredential{identity, std::move(scopes), "jti-1"};
  return p;
}

TEST(WorkloadAuthorizerTest, OwnIdentityWithScopeIsAllowed) {
  Principal p = Workload("id-a", {"orders:read", "secrets:read"});
  EXPECT_TRUE(AuthorizeWorkload(p, kSecretsReadScope, "id-a").allowed);
}

TEST(WorkloadAuthorizerTest, OtherIdentityIsDenied) {
  Principal p = Workload("id-a", {"secrets:read"});
  AuthzDecision d = AuthorizeWorkload(p, kSecretsReadScope, "id-b");
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("own"), std::string::npos) << d.reason;
}

TEST(WorkloadAuthorizerTest, MissingScopeIsDenied) {
  Principal p = Workload("id-a", {"secrets:read"});
  AuthzDecision d = AuthorizeWorkload(p, kCertificatesRenewScope, "id-a");
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("certificates:renew"), std::string::npos);
}

TEST(WorkloadAuthorizerTest, EmptyIdentitiesNeverMatch) {
  Principal p = Workload("", {"secrets:read"});
  EXPECT_FALSE(AuthorizeWorkload(p, kSecretsReadScope, "").allowed);
}

TEST(WorkloadAuthorizerTest, ApiTokenPrincipalIsNotAWorkload) {
  Principal admin;
  admin.role = Role::kAdmin;
  EXPECT_FALSE(AuthorizeWorkload(admin, kSecretsReadScope, "id-a").allowed);
}

TEST(WorkloadAuthorizerTest, RoleTableDeniesWorkloadsEverything) {
  Principal p = Workload("id-a", {"secrets:read"});
  p.role = Role::kAdmin;  // even a (mis)set role grants nothing
  for (Permission perm : {Permission::kSecretRead, Permission::kIdentityRead,
                          Permission::kCertificateIssue}) {
    EXPECT_FALSE(Authorize(p, perm).allowed) << Name(perm);
  }
}

}  // namespace
}  // namespace warden
