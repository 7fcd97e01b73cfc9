// Stored forms of release governance: releases (what a deploy ships and
// depends on), approvals (every accountable decision), tenants' consents
// (opt-ins and notices) and the latest guardrail signals.
//
// As with exposure records, the store keeps plain records: the columns it
// filters or orders on are fields; the exposure plan, the release notes and
// the rollback runbook are JSON text only the releases domain interprets.
#ifndef WARDEN_STORE_RELEASE_RECORDS_H_
#define WARDEN_STORE_RELEASE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/vocabulary.h"

namespace warden {

// One deploy of one service to one environment, with what it depends on.
// Never deleted; a later release of the same flags supersedes it.
struct ReleaseRecord {
  std::string id;
  std::string service;
  std::string service_version;  // the deployed build, e.g. "2.4.1"
  Environment environment = Environment::kProduction;
  std::string owner;  // team
  RiskTier risk_tier = RiskTier::kLow;
  bool risk_tier_declared = false;
  std::string risk_reason;
  std::vector<std::string> flags;         // sorted, unique
  std::vector<std::string> identities;    // identity ids; sorted, unique
  std::vector<std::string> integrations;  // sorted, unique
  std::string notes_json = "{}";          // changes, safe_for_all, ...
  std::string plan_json = "[]";           // ordered stages
  // Stages entered: 0 = deployed and dark; n = plan stage n-1 is live.
  int64_t stage = 0;
  Timestamp stage_entered_at{};
  std::string state = "active";  // active, paused, rolled_back, completed
  std::string state_reason;
  // When the next stage is due (a scheduled stage); nullopt when none is.
  std::optional<Timestamp> next_advance_at;
  std::string runbook_json = "{}";  // the generated rollback runbook
  std::optional<Timestamp> runbook_dry_run_at;
  std::string created_by;
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;  // compare-and-set on update
};

// Filters of ReleaseRepository::List; empty fields do not filter. Each
// matches an index, so a reverse view is a range scan.
struct ReleaseFilter {
  std::string service;
  std::string owner;
  std::string state;
  std::string flag;         // releases shipping this flag
  std::string identity_id;  // releases using this identity
  std::string integration;  // releases using this integration
  std::optional<Environment> environment;
};

// An accountable decision waiting for, or carrying, its decision.
struct ApprovalRecord {
  std::string id;
  // "stage_advance", "tenant_activation", "identity_change", "exception".
  std::string kind;
  std::string state = "pending";  // pending, approved, declined, expired
  // The subject: which of these are set depends on the kind.
  std::string release_id;
  std::string tenant_key;
  std::string identity_id;
  int64_t stage = 0;                // stage_advance: the stage it would enter
  std::string subject_json = "{}";  // kind-specific details of the request
  std::string requester;            // principal subject
  std::string requester_user;       // the human behind it (four eyes)
  // Who decides: any holder of `approver_role`, or only `approver` when set
  // (a tenant's account manager).
  std::string approver_role;
  std::string approver;
  std::string reason;
  std::string ticket;
  Timestamp created_at{};
  Timestamp expires_at{};
  std::string decided_by;
  std::optional<Timestamp> decided_at;
  std::string decision_reason;
  int64_t version = 1;  // compare-and-set on update
};

struct ApprovalFilter {
  std::string state;
  std::string kind;
  std::string approver_role;
  std::string approver;
  // Only requests naming no approver (any holder of approver_role
  // decides); with `approver` set, matches nothing.
  bool unassigned = false;
  std::string requester;
  std::string release_id;
  std::string tenant_key;
  std::string identity_id;
};

// A tenant's opt-in to, or notice of, one flag. One per (tenant, flag,
// kind); recording again replaces it.
struct ConsentRecord {
  std::string tenant_key;
  std::string flag_key;
  std::string kind;  // "opt_in" or "notice"
  std::string via;   // "self_service" or "account_manager"
  std::string release_id;
  std::string recorded_by;
  Timestamp recorded_at{};
};

// The latest value of one named guardrail signal of a release.
struct SignalRecord {
  std::string release_id;
  std::string name;
  double value = 0;
  std::string source;
  Timestamp observed_at{};
};

}  // namespace warden

#endif  // WARDEN_STORE_RELEASE_RECORDS_H_
