// The catalog of posture rules: for each rule its id, what it means, its
// default severity, the remediation, and the official mappings: OWASP
// Non-Human Identities Top 10 (2025) entry "NHI1".."NHI10" and NIST CSF 2.0
// subcategories (CSF 2.0 has no PR.AC; least privilege is PR.AA-05).
//
// The catalog is the contract between the rules, the API (GET
// /v1/findings/rules), the reports and the documentation: a rule that is
// not here cannot raise a finding.
#ifndef WARDEN_POSTURE_FINDING_CATALOG_H_
#define WARDEN_POSTURE_FINDING_CATALOG_H_

#include <span>
#include <string_view>
#include <vector>

namespace warden::posture {

// Rule ids (stable on the wire).
inline constexpr std::string_view kOwnerTeamEmpty = "owner-team-empty";
inline constexpr std::string_view kExpiryMissing = "expiry-missing";
inline constexpr std::string_view kExpiryBeyondPolicy = "expiry-beyond-policy";
inline constexpr std::string_view kExpiredStillActive = "expired-still-active";
inline constexpr std::string_view kSecretRotationOverdue =
    "secret-rotation-overdue";
inline constexpr std::string_view kUnused = "identity-unused";
inline constexpr std::string_view kScopesUnused = "scopes-unused";
inline constexpr std::string_view kIdentityReuse = "identity-reuse";
inline constexpr std::string_view kHumanUse = "human-use";
inline constexpr std::string_view kThirdPartyUnapproved =
    "third-party-unapproved";
inline constexpr std::string_view kLongLivedCredential =
    "long-lived-credential";
inline constexpr std::string_view kChangeControlMissing =
    "change-control-missing";
inline constexpr std::string_view kCertificateExpiring = "certificate-expiring";
inline constexpr std::string_view kExceptionExpired = "exception-expired";
inline constexpr std::string_view kAgentUnbounded = "agent-unbounded";
inline constexpr std::string_view kUnjustified = "identity-unjustified";
inline constexpr std::string_view kRevocationUnproven =
    "revocation-path-unproven";
inline constexpr std::string_view kReviewOverdue = "review-overdue";
inline constexpr std::string_view kSecretLeaked = "secret-leaked";
inline constexpr std::string_view kUnmanagedIdentity = "unmanaged-identity";
inline constexpr std::string_view kClusterAdminBinding =
    "k8s-cluster-admin-binding";
inline constexpr std::string_view kCloudKeyRotationOverdue =
    "cloud-key-rotation-overdue";
inline constexpr std::string_view kOAuthGrantUnverified =
    "oauth-grant-unverified-publisher";

struct RuleSpec {
  std::string_view id;
  std::string_view title;
  std::string_view severity;  // default; some rules raise it with evidence
  std::string_view owasp;     // "NHI1".."NHI10"
  std::vector<std::string_view> csf;
  std::string_view remediation;
};

std::span<const RuleSpec> FindingRules();

// nullptr for an unknown id.
const RuleSpec* FindRule(std::string_view id);

// Severities, ordered: "low" < "medium" < "high" < "critical". -1 when
// unknown.
int SeverityRank(std::string_view severity);

// True for "NHI1".."NHI10".
bool IsOwaspNhiId(std::string_view id);

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_FINDING_CATALOG_H_
