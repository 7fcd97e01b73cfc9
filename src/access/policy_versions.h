// The stored versions of each environment's access policy. Versions are
// immutable JSON records in the settings table (so both engines and every
// replica share them with no table of their own; a change publishes
// ChangeKey::Setting(HeadKey(env)) to other replicas):
//   access_policy/<env>            {"active": N, "latest": M}
//   access_policy/<env>/<version>  the PolicyVersion below
// Versions count from 1; "active" 0 means no policy (every decision is
// denied by default).
//
// Stateless helpers over a Transaction; the caller's unit decides
// atomicity (a proposal, its approval request and its audit record commit
// together).
#ifndef WARDEN_ACCESS_POLICY_VERSIONS_H_
#define WARDEN_ACCESS_POLICY_VERSIONS_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/vocabulary.h"
#include "store/store.h"

namespace warden::access {

// States of a version.
inline constexpr std::string_view kPolicyActive = "active";
inline constexpr std::string_view kPolicyPending = "pending";
inline constexpr std::string_view kPolicySuperseded = "superseded";
inline constexpr std::string_view kPolicyDeclined = "declined";
inline constexpr std::string_view kPolicyExpired = "expired";

struct PolicyVersion {
  Environment environment = Environment::kProduction;
  int64_t version = 0;
  std::string state;
  std::string document;  // the policy JSON text as proposed
  std::string sha256;    // of `document`, hex
  std::string reason;
  std::string created_by;
  Timestamp created_at{};
  std::string approval_id;  // when it waited for an approval
  std::string decided_by;   // who approved it, or declined it
};

struct PolicyHead {
  int64_t active = 0;
  int64_t latest = 0;
};

std::string HeadKey(Environment env);
std::string VersionKey(Environment env, int64_t version);

Result<PolicyHead> ReadHead(Transaction& tx, Environment env);
Status WriteHead(Transaction& tx, Environment env, const PolicyHead& head);
// kNotFound when absent.
Result<PolicyVersion> ReadVersion(Transaction& tx, Environment env,
                                  int64_t version);
Status WriteVersion(Transaction& tx, const PolicyVersion& version);
// Newest first.
Result<std::vector<PolicyVersion>> ReadVersions(Transaction& tx,
                                                Environment env);

// Makes `version` the active one (the previous active becomes superseded).
// kFailedPrecondition ("policy-superseded") when a newer version is
// already active: an old approval must not roll a policy back.
Status Activate(Transaction& tx, PolicyVersion version,
                std::string_view decided_by);

// The JSON form shown by the API; `with_document` adds "document" (the
// policy object).
boost::json::object ToJson(const PolicyVersion& version, bool with_document);

}  // namespace warden::access

#endif  // WARDEN_ACCESS_POLICY_VERSIONS_H_
