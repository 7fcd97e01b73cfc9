#include "discovery/kubernetes_scanner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "discovery/test_files.h"

namespace warden::discovery {
namespace {

using ::testing::HasSubstr;
using testing::TestDirectory;

void ExpectNoIssues(const ScanReport& report) {
  for (const auto& issue : report.issues) {
    ADD_FAILURE() << issue.location << ": " << issue.message;
  }
}

const Observation* Find(const ScanReport& report, std::string_view kind,
                        std::string_view key) {
  for (const auto& o : report.observations) {
    if (o.kind == kind && o.key == key) return &o;
  }
  return nullptr;
}

constexpr char kServiceAccounts[] = R"(# service accounts of the payments team
apiVersion: v1
kind: ServiceAccount
metadata:
  name: payments-api
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/payments
automountServiceAccountToken: false
secrets:
  - name: payments-api-token
imagePullSecrets:
  - name: registry
  - name: mirror
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: builder
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ignored
data:
  a: b
)";

constexpr char kSecrets[] = R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata:
    name: payments-api-token
    namespace: payments
    annotations:
      kubernetes.io/service-account.name: payments-api
  type: kubernetes.io/service-account-token
  data:
    token: c2VjcmV0LXZhbHVl
    ca.crt: Y2E=
    namespace: cGF5bWVudHM=
- apiVersion: v1
  kind: Secret
  metadata:
    name: db
    namespace: payments
  stringData:
    password: hunter2
  data:
    user: YWRtaW4=
)";

constexpr char kBindings[] = R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: builders-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: User
  name: alice
- kind: ServiceAccount
  name: builder
  namespace: default
- kind: ServiceAccount
  name: payments-api
  namespace: payments
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-config
  namespace: payments
roleRef:
  kind: Role
  name: config-reader
subjects:
- kind: ServiceAccount
  name: payments-api
)";

TEST(KubernetesScannerTest, ServiceAccountsWithTheirCloudIdentity) {
  TestDirectory dir;
  const auto path = dir.Write("sa.yaml", kServiceAccounts);
  const ScanReport report = ScanKubernetesManifests(path, nullptr);

  ExpectNoIssues(report);
  ASSERT_EQ(report.observations.size(), 2u);
  const auto* sa =
      Find(report, kK8sServiceAccountKind, "payments/payments-api");
  ASSERT_NE(sa, nullptr);
  EXPECT_EQ(sa->name, "payments-api");
  EXPECT_EQ(sa->source, "k8s");
  EXPECT_EQ(sa->location, path.string() + ":2");
  const auto& a = sa->attributes;
  EXPECT_EQ(a.at("namespace"), "payments");
  EXPECT_EQ(a.at("automount_token"), "false");
  EXPECT_EQ(a.at("secrets"), "payments-api-token");
  EXPECT_EQ(a.at("image_pull_secrets"), "registry mirror");
  EXPECT_EQ(a.at("cloud_identity"), "arn:aws:iam::123456789012:role/payments");
  EXPECT_EQ(a.at("cloud_provider"), "aws");

  const auto* builder = Find(report, kK8sServiceAccountKind, "default/builder");
  ASSERT_NE(builder, nullptr);
  EXPECT_EQ(builder->location, path.string() + ":16");
  EXPECT_EQ(builder->attributes.at("automount_token"), "");
  EXPECT_EQ(builder->attributes.at("cloud_identity"), "");
}

TEST(KubernetesScannerTest, SecretsFromAListNeverCarryValues) {
  ScanReport report;
  ParseKubernetesManifests(kSecrets, "secrets.yaml", report);

  ExpectNoIssues(report);
  ASSERT_EQ(report.observations.size(), 2u);
  const auto* token =
      Find(report, kK8sSecretKind, "payments/payments-api-token");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->location, "secrets.yaml:4");
  EXPECT_EQ(token->attributes.at("type"),
            "kubernetes.io/service-account-token");
  EXPECT_EQ(token->attributes.at("service_account"), "payments-api");
  EXPECT_EQ(token->attributes.at("keys"), "ca.crt namespace token");
  const auto* db = Find(report, kK8sSecretKind, "payments/db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->attributes.at("type"), "Opaque");
  EXPECT_EQ(db->attributes.at("keys"), "password user");
  for (const auto& o : report.observations) {
    for (const auto& [name, value] : o.attributes) {
      EXPECT_THAT(value, ::testing::Not(HasSubstr("hunter2")));
      EXPECT_THAT(value, ::testing::Not(HasSubstr("c2VjcmV0")));
    }
  }
}

TEST(KubernetesScannerTest, BindingsToServiceAccounts) {
  ScanReport report;
  ParseKubernetesManifests(kBindings, "rbac.yaml", report);

  ExpectNoIssues(report);
  ASSERT_EQ(report.observations.size(), 3u);
  const auto* admin = Find(report, kK8sRoleBindingKind,
                           "default/cluster:builders-admin/builder");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->name, "builder");
  EXPECT_EQ(admin->location, "rbac.yaml:12");
  EXPECT_EQ(admin->attributes.at("role_kind"), "ClusterRole");
  EXPECT_EQ(admin->attributes.at("role_name"), "cluster-admin");
  EXPECT_EQ(admin->attributes.at("cluster_wide"), "true");
  EXPECT_EQ(admin->attributes.at("subject_namespace"), "default");
  EXPECT_NE(Find(report, kK8sRoleBindingKind,
                 "payments/cluster:builders-admin/payments-api"),
            nullptr);
  const auto* reader =
      Find(report, kK8sRoleBindingKind, "payments/read-config/payments-api");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->attributes.at("cluster_wide"), "false");
  EXPECT_EQ(reader->attributes.at("role_kind"), "Role");
  EXPECT_EQ(reader->attributes.at("subject_namespace"), "payments");
  EXPECT_EQ(reader->attributes.at("binding_namespace"), "payments");
}

TEST(KubernetesScannerTest,
     InvalidYamlIsAnIssueAndOtherDocumentsAndFilesCount) {
  TestDirectory dir;
  const auto broken = dir.Write("apps/broken.yaml", R"(apiVersion: v1
kind: ServiceAccount
metadata:
  name: first
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: [unclosed
  namespace: x
---
kind: ServiceAccount
metadata:
  name: third
)");
  dir.Write("apps/rbac.yml", kBindings);
  dir.Write("README.md", "kind: ServiceAccount\nmetadata: {name: nope}\n");

  const ScanReport report = ScanKubernetesManifests(dir.root(), nullptr);

  ASSERT_EQ(report.issues.size(), 1u);
  // yaml-cpp notices the unclosed flow sequence on the next line.
  EXPECT_EQ(report.issues[0].location, broken.string() + ":10");
  EXPECT_THAT(report.issues[0].message, HasSubstr("invalid YAML"));
  EXPECT_NE(Find(report, kK8sServiceAccountKind, "default/first"), nullptr);
  EXPECT_NE(Find(report, kK8sServiceAccountKind, "default/third"), nullptr);
  EXPECT_EQ(report.observations.size(), 5u);  // 2 SAs + 3 bindings
  EXPECT_EQ(report.files_scanned, 2);
}

TEST(KubernetesScannerTest, ObjectWithoutANameIsAnIssue) {
  ScanReport report;
  ParseKubernetesManifests("\nkind: Secret\nmetadata: {}\n", "s.yaml", report);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, "s.yaml:2");
  EXPECT_THAT(report.issues[0].message, HasSubstr("Secret without metadata"));
}

TEST(KubernetesScannerTest, OddShapesAreIgnoredNotFatal) {
  ScanReport report;
  ParseKubernetesManifests(
      "just a scalar\n---\n- a\n- b\n---\nkind: [1]\n---\n"
      "kind: ServiceAccount\nmetadata: [x]\n---\n"
      "kind: RoleBinding\nmetadata: {name: b}\nsubjects: {kind: x}\n---\n"
      "kind: List\nitems: 3\n---\n",
      "odd.yaml", report);
  EXPECT_TRUE(report.observations.empty());
  ASSERT_EQ(report.issues.size(), 1u);  // the ServiceAccount without a name
}

TEST(KubernetesScannerTest, AliasBombsStopAtTheEntryBudget) {
  // 1000 subjects, each list aliased 2000 times: 2 000 000 subject entries
  // in a few kilobytes.
  std::string yaml = "kind: List\nsubjects: &s\n";
  for (int i = 0; i < 1000; ++i) {
    yaml += "- {kind: User, name: u" + std::to_string(i) + "}\n";
  }
  yaml +=
      "binding: &b {kind: RoleBinding, metadata: {name: b}, subjects: *s}\n";
  yaml += "items: [";
  for (int i = 0; i < 2000; ++i) yaml += i ? ", *b" : "*b";
  yaml += "]\n";
  ScanReport report;
  ParseKubernetesManifests(yaml, "bomb.yaml", report);
  EXPECT_TRUE(report.observations.empty());
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, "bomb.yaml:1");
  EXPECT_THAT(report.issues[0].message, HasSubstr("entries"));
}

}  // namespace
}  // namespace warden::discovery
