#include "posture/finding_catalog.h"

#include <array>
#include <string>

namespace warden::posture {
namespace {

const std::vector<RuleSpec>& Catalog() {
  static const std::vector<RuleSpec> kRules = {
      {kOwnerTeamEmpty,
       "Owner team has no members",
       "high",
       "NHI1",
       {"ID.AM-08", "PR.AA-01"},
       "Assign the identity to a team with members, or add members to the "
       "owner team; an identity nobody answers for is never offboarded."},
      {kExpiryMissing,
       "Identity has no expiry",
       "medium",
       "NHI7",
       {"PR.AA-01"},
       "Set expires_at within the policy's maximum lifetime for its risk "
       "tier, or record an exception with its own expiry."},
      {kExpiryBeyondPolicy,
       "Expiry beyond the policy's maximum lifetime",
       "medium",
       "NHI7",
       {"PR.AA-01"},
       "Shorten expires_at to the maximum lifetime of its tier, or record "
       "an approved exception."},
      {kExpiredStillActive,
       "Expired identity is still active",
       "high",
       "NHI1",
       {"PR.AA-01", "ID.AM-08"},
       "Revoke or renew the identity; the expiry sweep should have expired "
       "it (check that it runs)."},
      {kSecretRotationOverdue,
       "Secret older than its rotation period",
       "high",
       "NHI7",
       {"PR.AA-01"},
       "Rotate the secret or client secret now (warden secret rotate / "
       "warden oauth client rotate-secret) and keep the rotation period."},
      {kUnused,
       "Identity unused",
       "medium",
       "NHI1",
       {"ID.AM-08", "PR.AA-01"},
       "Confirm with the owner team and revoke it, or record why it is "
       "kept (an access review decision)."},
      {kScopesUnused,
       "Granted scopes never used",
       "medium",
       "NHI5",
       {"PR.AA-05"},
       "Reduce the granted scopes to the minimal set in the evidence."},
      {kIdentityReuse,
       "One identity used from several places",
       "medium",
       "NHI9",
       {"PR.AA-01", "DE.CM-03"},
       "Give each workload, application or network its own identity; "
       "shared credentials cannot be revoked for one user."},
      {kHumanUse,
       "Signs of human use of a machine identity",
       "high",
       "NHI10",
       {"DE.CM-03", "PR.AA-05"},
       "Give the person their own account; rotate the credential a human "
       "has seen."},
      {kThirdPartyUnapproved,
       "Third-party identity without an approval",
       "high",
       "NHI3",
       {"ID.AM-04", "ID.RA-07"},
       "Record the vendor's access through change control (an approved "
       "identity_change approval) or revoke it."},
      {kLongLivedCredential,
       "Long-lived credential where a short-lived one "
       "is possible",
       "medium",
       "NHI4",
       {"PR.AA-01", "PR.AA-05"},
       "Move to private_key_jwt, mTLS or token exchange from the workload's "
       "own identity, and retire the static secret."},
      {kChangeControlMissing,
       "Production or vendor identity without a "
       "change record",
       "medium",
       "NHI1",
       {"ID.RA-07"},
       "Record the identity through change control or an access review "
       "decision."},
      {kCertificateExpiring,
       "Certificate expiring soon",
       "medium",
       "NHI7",
       {"PR.AA-01", "ID.AM-08"},
       "Renew the certificate before it expires (warden cert renew, or the "
       "issuer that made it)."},
      {kExceptionExpired,
       "Exception lapsed while still needed",
       "high",
       "NHI7",
       {"ID.RA-07"},
       "Fix what the exception waived, or request a new exception."},
      {kAgentUnbounded,
       "Agent without a sponsor or a bounded task",
       "high",
       "NHI5",
       {"PR.AA-05", "PR.AA-01"},
       "Name the human sponsor (an existing user) and the task scope, and "
       "give the agent an expiry."},
      {kUnjustified,
       "Identity not justified",
       "low",
       "NHI1",
       {"ID.AM-08", "ID.RA-07"},
       "Justify it with an approval, a change record, an access review "
       "decision or a live exception."},
      {kRevocationUnproven,
       "No exercised or automatic revocation path",
       "low",
       "NHI1",
       {"PR.AA-01"},
       "Rotate or revoke a credential once (a drill), or move to credentials "
       "that expire by themselves."},
      {kReviewOverdue,
       "Access review not decided by its due date",
       "medium",
       "NHI1",
       {"PR.AA-05", "ID.AM-08"},
       "The owner team decides keep (with justification) or revoke."},
      {kSecretLeaked,
       "Secret found in a source tree",
       "critical",
       "NHI2",
       {"DE.CM-09", "PR.AA-01"},
       "Revoke and rotate the secret at its issuer first, then remove it "
       "from the code and its history."},
      {kUnmanagedIdentity,
       "Identity seen but not inventoried",
       "medium",
       "NHI1",
       {"ID.AM-02", "ID.AM-08"},
       "Import it as a draft (warden drift import) and assign an owner, or "
       "remove it at its source."},
      {kClusterAdminBinding,
       "Kubernetes ServiceAccount bound to "
       "cluster-admin",
       "high",
       "NHI5",
       {"PR.AA-05"},
       "Bind a Role with only the verbs and resources the workload uses."},
      {kCloudKeyRotationOverdue,
       "Cloud access key older than its rotation "
       "period",
       "high",
       "NHI7",
       {"PR.AA-01"},
       "Rotate the access key or move the workload to a role it assumes."},
      {kOAuthGrantUnverified,
       "OAuth app from an unverified publisher",
       "medium",
       "NHI3",
       {"ID.AM-04"},
       "Review the app's scopes with its owner and revoke the grant if it "
       "is not needed."},
  };
  return kRules;
}

constexpr std::array<std::string_view, 4> kSeverities = {"low", "medium",
                                                         "high", "critical"};

}  // namespace

std::span<const RuleSpec> FindingRules() { return Catalog(); }

const RuleSpec* FindRule(std::string_view id) {
  for (const RuleSpec& rule : Catalog()) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

int SeverityRank(std::string_view severity) {
  for (size_t i = 0; i < kSeverities.size(); ++i) {
    if (kSeverities[i] == severity) return static_cast<int>(i);
  }
  return -1;
}

bool IsOwaspNhiId(std::string_view id) {
  for (int n = 1; n <= 10; ++n) {
    if (id == "NHI" + std::to_string(n)) return true;
  }
  return false;
}

}  // namespace warden::posture
