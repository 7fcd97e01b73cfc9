// Role-based authorization: which role may do what, on whose resources.
// Pure logic; deny by default. The table is documented in docs/API.md and
// asserted route by route in tests/integration/route_authz_test.cc.
#ifndef WARDEN_AUTHZ_AUTHORIZER_H_
#define WARDEN_AUTHZ_AUTHORIZER_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/principal.h"

namespace warden {

enum class Permission {
  kTeamRead,
  kTeamWrite,
  kIdentityRead,
  kIdentityWrite,      // create, update
  kIdentityLifecycle,  // suspend, resume
  kIdentityRevoke,
  kExceptionRead,
  kExceptionRequest,
  kExceptionDecide,  // approve or reject (never one's own request)
  kUserRead,
  kUserWrite,
  kApiTokenRead,
  kApiTokenWrite,
  kAuditRead,
  // Release exposure. Segments are cohorts of tenants: kTenant* covers them.
  kFlagRead,
  kFlagWrite,  // create, update, archive, import (app_owner: own team's flags)
  // An environment's shared flag-set state ($evaluators, flag-set
  // metadata): every flag that $refs an evaluator or reads the metadata
  // changes with it, whoever owns the flag, so no team scope applies.
  kFlagSetWrite,
  kTenantRead,
  kTenantWrite,
  kLimitRead,
  // Exposure limits are emergency actions taken without other approvals:
  // admin and security anywhere, account_manager on tenants it manages.
  kLimitSet,
  kLimitLift,
  // Short-lived certificates, stored secrets and break-glass.
  kCertificateRead,    // inventory of issued certificates
  kCertificateIssue,   // sign a CSR for an identity (app_owner: own team)
  kCertificateRevoke,  // revoke (app_owner: own team's certificates)
  kSecretWrite,        // put, rotate (app_owner: own team's secrets)
  kSecretRead,         // read a secret's value: security and admin only
  kBreakGlass,         // emergency secret read or identity re-activation
  kBreakGlassReview,   // list and review break-glass (never one's own)
  // Release governance. Recording a release is deployment, not
  // availability: the deploy role has it and nothing else.
  kReleaseRecord,
  kReleaseRead,     // releases, readiness, reverse views, changelogs
  kReleaseOperate,  // advance, pause, roll back (app_owner: own team)
  kReleaseSignal,   // post guardrail signals (app_owner: own team)
  kApprovalRead,    // the inbox and approval records
  // Decide an approval. The engine also checks the request's approver rule
  // (security for stages and change control, the tenant's account manager
  // for activations), so this permission alone decides nothing.
  kApprovalDecide,
  // Record a tenant's opt-in or notice (account_manager: tenants it
  // manages).
  kConsentWrite,
  // Posture and discovery.
  kPostureRead,         // findings, drift, observations, maturity, reviews
  kFindingAcknowledge,  // acknowledge (app_owner: own team's findings)
  kPostureManage,       // the policy, sweeps, scan schedules, campaigns
  kObservationWrite,    // post scan results; import drafts from drift
  kReviewDecide,        // keep or revoke in a review (app_owner: own team)
  // Access decisions for workloads (the AuthZEN policy decision point).
  kAccessPolicyRead,   // the policies of every environment and their history
  kAccessPolicyWrite,  // propose a policy (production: applied on approval)
  kAccessEvaluate,     // ask for decisions and searches (an enforcement point)
};

std::string_view Name(Permission permission);

struct AuthzDecision {
  bool allowed = false;
  std::string reason;  // e.g. "role app_owner may not act on team payments"
};

// `owner_team`: the team that owns the resource acted on, when the permission
// is team-scoped (identity writes for app_owner); empty otherwise. An
// app_owner is allowed only when owner_team equals its own non-empty team.
AuthzDecision Authorize(const Principal& principal, Permission permission,
                        std::string_view owner_team = {});

// Account-scoped permissions (exposure limits by an account manager):
// allowed when Authorize(principal, permission) allows, or when the role has
// `permission` on the accounts it manages and `account_managers` is
// non-empty and every entry equals principal.subject (each entry is the
// account manager of one tenant the action touches).
AuthzDecision AuthorizeOnAccounts(
    const Principal& principal, Permission permission,
    const std::vector<std::string>& account_managers);

}  // namespace warden

#endif  // WARDEN_AUTHZ_AUTHORIZER_H_
