// Stored forms of the release-exposure aggregates: flags (per environment),
// tenants, segments (cohorts) and exposure limits (kill switches).
//
// The store keeps these as plain records: the columns it filters or orders
// on are fields, and the parts only the evaluator interprets (variants,
// targeting, rollout; tenant attributes; segment rules) are JSON text the
// store never parses. So the store depends on core only, and the service
// layer converts between these records and the evaluator's model (eval/).
#ifndef WARDEN_STORE_EXPOSURE_RECORDS_H_
#define WARDEN_STORE_EXPOSURE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/vocabulary.h"

namespace warden {

// One flag in one environment. (environment, key) is unique.
struct FlagRecord {
  Environment environment = Environment::kDevelopment;
  std::string key;
  std::string type;  // eval::FlagTypeName: "boolean", "string", ...
  bool enabled = true;
  // Deleting a flag archives it: it leaves the published configuration but
  // its history (and key) stay. Creating the key again revives it.
  bool archived = false;
  // Variants, default and off variant, native rules, rollout, JsonLogic,
  // bucketing and free-form metadata, as one JSON object (service-defined).
  std::string definition_json = "{}";
  std::string owner_team;
  std::string release;
  std::string description;
  int stale_after_days = 30;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> last_evaluated_at;
  int64_t version = 1;  // compare-and-set on update
};

// A customer account.
struct TenantRecord {
  std::string key;  // the targeting key of evaluations; unique
  std::string name;
  std::string account_manager;            // a Warden user name; may be empty
  std::string attributes_json = "{}";     // JSON object
  std::vector<std::string> integrations;  // sorted, unique
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;
};

// Which tenants a page holds: `text` a case-insensitive substring of the
// key or the name, `account_manager` an exact user name; "" matches all.
struct TenantFilter {
  std::string text;
  std::string account_manager;
};

// A named cohort of tenants. The explicit members live apart from the
// record (SegmentRepository::AddTenants), so a segment of 100,000 tenants
// is never rewritten as a whole when one key is added.
struct SegmentRecord {
  std::string key;
  std::string description;
  std::string rules_json = "[]";  // JSON array of native conditions
  int64_t tenant_count = 0;       // explicit members; filled in on reads
  Timestamp created_at{};
  Timestamp updated_at{};
  int64_t version = 1;
};

// A kill switch. Never deleted: lifting records who, when and why.
struct ExposureLimitRecord {
  std::string id;
  std::string scope;  // eval::LimitScopeName: "tenant", "integration", ...
  std::vector<std::string> scope_values;  // empty for scope "flags"
  std::vector<std::string> flag_keys;     // covered flags; empty = all
  // The one environment it applies to; nullopt = every environment.
  std::optional<Environment> environment;
  std::string reason;
  std::string actor;
  // The role the actor held when setting it (core Name(Role)); governs who
  // may lift it. "" for limits set before roles were recorded: treated as
  // set by security.
  std::string actor_role;
  Timestamp created_at{};
  std::optional<Timestamp> lifted_at;
  std::string lifted_by;
  std::string lift_reason;
  // Measured once the limit has taken effect (committed, tied tokens
  // revoked, configuration republished): microseconds from the call to
  // that point; nullopt until recorded (and for limits set before it was).
  std::optional<int64_t> time_to_limit_us;
  // What setting it did, as the service reported it (a JSON object the
  // store never parses); "" until recorded.
  std::string report_json;

  bool active() const { return !lifted_at.has_value(); }
};

}  // namespace warden

#endif  // WARDEN_STORE_EXPOSURE_RECORDS_H_
