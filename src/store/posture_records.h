// Stored forms of posture and discovery: findings (a posture problem and its
// lifecycle), observations (what a scanner saw) and the scan runs that
// produced them, access review campaigns and their decisions, maturity
// snapshots (the shares over time) and usage sightings (where and how an
// identity's credentials were used).
//
// As elsewhere the store keeps plain records: the columns it filters or
// orders on are fields; evidence and attributes are JSON text only the
// posture and discovery domains interpret.
#ifndef WARDEN_STORE_POSTURE_RECORDS_H_
#define WARDEN_STORE_POSTURE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/vocabulary.h"

namespace warden {

// One posture problem on one subject. A rule finds at most one finding per
// subject: `fingerprint` ("rule|subject_key") is unique, and a finding that
// clears and comes back is reopened rather than duplicated.
struct FindingRecord {
  std::string id;           // UUIDv7
  std::string fingerprint;  // rule + "|" + subject_key
  std::string rule;         // e.g. "secret-rotation-overdue"
  std::string severity;     // low, medium, high, critical
  // What the finding is about: an identity id, or "certificate/<serial>",
  // "observation/<kind>/<key>", "team/<name>", "campaign/<id>/<identity>".
  std::string subject_key;
  std::string identity_id;       // empty when the subject is not an identity
  std::string subject;           // display name: identity name, file, team
  std::string owner;             // accountable team; empty when none
  std::string owasp;             // "NHI1".."NHI10"
  std::vector<std::string> csf;  // NIST CSF 2.0 subcategories, sorted
  std::string evidence_json = "{}";
  std::string remediation;
  std::string state = "open";  // open, acknowledged, resolved
  std::string ack_reason;
  std::string ack_by;
  std::optional<Timestamp> ack_expires_at;
  Timestamp first_seen{};
  Timestamp last_seen{};
  std::optional<Timestamp> resolved_at;
  int64_t version = 1;  // compare-and-set on update
};

// Filters of FindingRepository::List and Count; empty fields do not
// filter. `application` and `environment` filter on the identity.
struct FindingFilter {
  std::string rule;
  std::string severity;
  std::string owner;
  std::string owasp;
  std::string state;  // "unresolved" = open or acknowledged
  std::string identity_id;
  std::string application;
  std::optional<Environment> environment;
};

// One group of FindingRepository::Count.
struct FindingCount {
  std::string rule;
  std::string severity;
  std::string owner;
  std::string owasp;
  std::string state;
  int64_t count = 0;
};

// What a scanner saw, keyed by (kind, key); re-scans update it in place.
struct ObservationRecord {
  std::string id;  // UUIDv7, for paging
  std::string kind;
  std::string key;
  std::string source;       // scanner
  std::string scan_target;  // the path or target the scan ran on
  std::string name;
  std::string location;
  std::string attributes_json = "{}";
  // The inventory entry it matched (by external id, then by name); empty
  // when unmanaged.
  std::string identity_id;
  // present: seen by the latest complete scan of its source and target;
  // gone: not seen by it (a missing identity if inventoried).
  std::string state = "present";
  std::string changes_json = "[]";  // differences from the inventory entry
  Timestamp first_seen{};
  Timestamp last_seen{};
};

struct ObservationFilter {
  std::string kind;
  std::vector<std::string> kinds;  // any of these; empty: every kind
  std::string source;
  std::string state;
  std::string identity_id;
  bool unmanaged_only = false;  // identity_id empty
  bool changed_only = false;    // changes_json not empty
};

// One scan: who ran it, on what, what it saw.
struct ScanRunRecord {
  std::string id;
  std::string source;
  std::string target;
  std::string state = "running";  // running, complete
  int64_t observations = 0;
  int64_t issues = 0;
  std::string issues_json = "[]";  // the first issues, for the record
  std::string started_by;
  Timestamp started_at{};
  std::optional<Timestamp> finished_at;
};

// An access review: every identity of a scope put to its owner team.
struct ReviewCampaignRecord {
  std::string id;
  std::string name;
  std::string scope_json = "{}";  // {"team", "environment", "risk_tier"}
  std::string state = "open";     // open, closed
  Timestamp due_at{};
  std::string created_by;
  Timestamp created_at{};
  std::optional<Timestamp> closed_at;
  int64_t version = 1;
};

struct ReviewItemRecord {
  std::string campaign_id;
  std::string identity_id;
  std::string identity_name;
  std::string owner;
  std::string decision = "pending";  // pending, keep, revoke
  std::string justification;
  std::string decided_by;
  std::optional<Timestamp> decided_at;
};

// The three maturity shares of one scope at one time.
struct MaturitySnapshotRecord {
  Timestamp taken_at{};
  std::string scope;  // "" (everything) or "team:<name>"
  int64_t inventoried = 0;
  int64_t observed = 0;
  int64_t justified = 0;
  int64_t revocable = 0;
  int64_t identities = 0;
};

// Where and how one identity's credentials were used, aggregated per
// (identity, source network, user agent, client).
struct UsageSightingRecord {
  std::string identity_id;
  std::string source_network;  // "203.0.113.0/24", "2001:db8::/64"
  std::string user_agent;      // truncated
  std::string client;          // workload or application label, or ""
  Timestamp first_seen{};
  Timestamp last_seen{};
  int64_t uses = 0;
  int64_t hours_mask = 0;     // bit h: used during UTC hour h
  int64_t weekdays_mask = 0;  // bit d: used on weekday d (0 = Sunday)
};

}  // namespace warden

#endif  // WARDEN_STORE_POSTURE_RECORDS_H_
