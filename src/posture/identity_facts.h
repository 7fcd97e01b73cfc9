// Everything the posture rules know about one identity, gathered by the
// sweep from the inventory, the OAuth and custody records, approvals,
// reviews and usage. A plain value: the rules (identity_findings.h) are
// pure functions of it, the policy and the time.
#ifndef WARDEN_POSTURE_IDENTITY_FACTS_H_
#define WARDEN_POSTURE_IDENTITY_FACTS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/identity.h"
#include "core/policy_exception.h"
#include "store/store.h"

namespace warden::posture {

struct SecretFact {
  std::string name;
  int64_t versions = 0;       // how many versions exist
  Timestamp current_since{};  // when the current version was created
};

struct IdentityFacts {
  Identity identity;
  bool owner_has_members = true;
  // Every exception naming the identity, in any state.
  std::vector<PolicyException> exceptions;
  bool has_approval = false;       // an approved approval names it
  bool has_change_record = false;  // an approved identity_change
  bool has_review_keep = false;    // kept in an access review
  bool sponsor_is_user = false;    // agents: the sponsor is a Warden user
  std::vector<ScopeUsageRecord> scopes_used;
  std::vector<UsageSightingRecord> sightings;
  std::optional<ClientCredentialRecord> client_credential;
  std::vector<SecretFact> secrets;
  std::vector<CertificateRecord> certificates;  // issued by Warden
};

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_IDENTITY_FACTS_H_
