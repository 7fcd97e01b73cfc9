// What a security team tunes about the posture rules: the windows, the
// thresholds, the user networks and office hours that tell human use
// apart, the certificate warning windows, and whether a lapsed exception
// suspends the identity. Stored as JSON in the settings (so every replica
// reads the same policy); absent members keep their defaults.
#ifndef WARDEN_POSTURE_POSTURE_POLICY_H_
#define WARDEN_POSTURE_POSTURE_POLICY_H_

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "service/usage_source.h"

namespace warden::posture {

// The settings key the policy is stored under.
inline constexpr char kPosturePolicySetting[] = "posture.policy";

struct PosturePolicy {
  int unused_days = 90;        // no use for this long: identity-unused
  int scope_window_days = 90;  // a granted scope unused this long
  int reuse_networks = 3;      // distinct source networks that are reuse
  int reuse_user_agents = 3;   // distinct user agents that are reuse
  std::vector<std::string> user_networks;  // CIDRs of offices, VPNs
  int office_hours_start = 8;              // UTC hour, inclusive
  int office_hours_end = 18;               // UTC hour, exclusive
  int min_uses_for_pattern = 10;           // fewer uses say nothing about hours
  std::vector<int> certificate_windows_days = {30, 7, 1};
  int cloud_key_rotation_days = 90;
  bool suspend_on_lapsed_exception = false;
  // Authentication methods whose credentials are short-lived by design.
  std::vector<std::string> short_lived_auth_methods = {
      "private_key_jwt", "mtls", "spiffe",           "token_exchange",
      "federated",       "oidc", "workload_identity"};

  // Parsed forms, filled by PolicyFromJson (and DefaultPolicy()).
  std::vector<Cidr> user_cidrs;
};

PosturePolicy DefaultPolicy();

// "critical" within the narrowest certificate window, "high" within the
// next, "medium" within the widest.
std::string CertificateExpirySeverity(int64_t days_left,
                                      const PosturePolicy& policy);

// Parses a policy document; members absent keep their defaults. Errors
// name the member ("posture policy.unused_days must be ...").
Result<PosturePolicy> PolicyFromJson(const boost::json::value& json);
boost::json::object PolicyToJson(const PosturePolicy& policy);

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_POSTURE_POLICY_H_
