// Scanner of Kubernetes manifests in YAML: one file or a directory tree of
// *.yaml / *.yml files, several documents per file ("---"), and "kind: List"
// (or any *List) objects whose items are read in turn.
//
// Observations, source "k8s", location "path:line" of the object (of the
// subject entry for bindings); a missing metadata.namespace means "default":
//   ServiceAccount -> kK8sServiceAccountKind, key "namespace/name", name =
//     name; attributes namespace, automount_token ("true", "false" or empty
//     when unset, which Kubernetes treats as true), secrets and
//     image_pull_secrets (names, space separated), cloud_identity (the
//     workload identity it maps to: the eks.amazonaws.com/role-arn,
//     iam.gke.io/gcp-service-account or azure.workload.identity/client-id
//     annotation) and cloud_provider ("aws", "gcp", "azure" or empty).
//   Secret -> kK8sSecretKind, key "namespace/name", name = name; attributes
//     namespace, type (default "Opaque"), service_account (annotation
//     kubernetes.io/service-account.name), keys (the names of data and
//     stringData entries, sorted, space separated). Never a value.
//   RoleBinding / ClusterRoleBinding -> one kK8sRoleBindingKind per subject
//     of kind ServiceAccount, name = the ServiceAccount's name, key
//     "subject_namespace/binding/sa" where binding is the binding's name for
//     a RoleBinding in the subject's namespace, "cluster:name" for a
//     ClusterRoleBinding and "namespace:name" for a RoleBinding in another
//     namespace; attributes role_kind, role_name, subject_namespace,
//     subject_name, binding_kind, binding_name, binding_namespace,
//     cluster_wide ("true" for a ClusterRoleBinding).
// Other kinds are ignored. A document that is not valid YAML is an issue at
// "path:line" (yaml-cpp's mark) and the other documents are still read; an
// object of a known kind without metadata.name is an issue too.
#ifndef WARDEN_DISCOVERY_KUBERNETES_SCANNER_H_
#define WARDEN_DISCOVERY_KUBERNETES_SCANNER_H_

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "discovery/observation.h"

namespace warden::discovery {

// A rendered Helm chart or a cluster dump of these kinds is well under this;
// the parser holds a whole document tree in memory, so bound it.
inline constexpr uint64_t kMaxManifestFileBytes = 8 << 20;

struct KubernetesScanOptions {
  uint64_t max_file_bytes = kMaxManifestFileBytes;
};

// Scans `root`: the file itself whatever its name, or the *.yaml and *.yml
// files of a directory tree. Never throws.
ScanReport ScanKubernetesManifests(const std::filesystem::path& root,
                                   const ProgressCallback& progress,
                                   const KubernetesScanOptions& options = {});

// Parses the YAML text of a file named `origin`, appending to `report`.
// The fuzzing entry point.
void ParseKubernetesManifests(std::string_view text, std::string_view origin,
                              ScanReport& report);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_KUBERNETES_SCANNER_H_
