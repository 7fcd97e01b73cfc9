// What a scanner saw outside Warden: a certificate file, a Kubernetes
// ServiceAccount, an IAM user's access key, an OAuth app grant, a secret
// committed to a source tree. Observations are compared with the inventory
// (drift) and feed the posture findings; they never carry a secret value.
#ifndef WARDEN_DISCOVERY_OBSERVATION_H_
#define WARDEN_DISCOVERY_OBSERVATION_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace warden::discovery {

// Observation kinds (the `kind` field), stable on the wire.
inline constexpr char kCertificateKind[] = "certificate";
inline constexpr char kK8sServiceAccountKind[] = "k8s_service_account";
inline constexpr char kK8sSecretKind[] = "k8s_secret";
inline constexpr char kK8sRoleBindingKind[] = "k8s_role_binding";
inline constexpr char kCloudUserKind[] = "aws_iam_user";
inline constexpr char kCloudAccessKeyKind[] = "aws_access_key";
inline constexpr char kOAuthGrantKind[] = "oauth_grant";
inline constexpr char kLeakedSecretKind[] = "leaked_secret";

// Kinds that are identities in their own right (a certificate, a
// ServiceAccount, an IAM user, an OAuth app): drift calls them unmanaged
// when no inventory entry matches, and the maturity share "inventoried"
// counts them. Secrets, bindings, access keys and leaks belong to one.
inline const std::vector<std::string>& IdentityObservationKinds() {
  static const std::vector<std::string> kKinds = {
      kCertificateKind, kK8sServiceAccountKind, kCloudUserKind,
      kOAuthGrantKind};
  return kKinds;
}

inline bool IsIdentityObservation(std::string_view kind) {
  for (const std::string& k : IdentityObservationKinds()) {
    if (k == kind) return true;
  }
  return false;
}

struct Observation {
  std::string kind;    // one of the k*Kind names above
  std::string source;  // the scanner: "certs", "tls", "k8s", ...
  // Stable natural key of the thing seen, unique within `kind`: a
  // certificate's SHA-256 fingerprint, "namespace/name" of a Kubernetes
  // object, an IAM user's ARN or access key id, "app|publisher" of a grant,
  // "rule|file|line-hash" of a leaked secret. Re-scans yield the same key.
  std::string key;
  // The name an inventory entry would carry (matched against identity
  // names and external ids by drift): a SPIFFE ID or subject CN, the
  // ServiceAccount name, the IAM user name, the app name.
  std::string name;
  std::string location;  // "path:line" or "host:port" where it was seen
  // Kind-specific facts as strings: "not_after" (RFC 3339), "issuer",
  // "scopes" (space separated), "last_used_at", "created_at", "rule", ...
  // Never a secret value.
  std::map<std::string, std::string> attributes;
};

// A problem with one input that did not stop the scan: a truncated PEM, a
// YAML document that does not parse, a CSV row with the wrong columns.
struct ScanIssue {
  std::string location;  // "path:line" (line 1-based; 0 when unknown)
  std::string message;
};

struct ScanProgress {
  int64_t files_done = 0;
  int64_t bytes_done = 0;
  std::string current;  // the file or target being read
};

// Called from the scanning thread after each file or target; may be empty.
using ProgressCallback = std::function<void(const ScanProgress&)>;

struct ScanReport {
  std::vector<Observation> observations;
  std::vector<ScanIssue> issues;
  int64_t files_scanned = 0;
  int64_t bytes_scanned = 0;
};

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_OBSERVATION_H_
