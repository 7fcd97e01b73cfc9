// What the usage sightings of one identity say about who uses it: from how
// many places (reuse) and whether a person seems to be behind it (human
// use: interactive user agents, or use only within office hours from the
// declared user networks). Pure functions of the sightings and the policy.
#ifndef WARDEN_POSTURE_USAGE_SIGNALS_H_
#define WARDEN_POSTURE_USAGE_SIGNALS_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "posture/posture_policy.h"
#include "store/posture_records.h"

namespace warden::posture {

// True for user agents people use interactively: browsers, API consoles
// (Postman, Insomnia), and command-line tools run by hand (curl, HTTPie,
// wget), as opposed to SDKs and service clients.
bool IsInteractiveUserAgent(std::string_view user_agent);

// Evidence of reuse, or nullopt: the distinct networks, user agents and
// clients when any reaches the policy's threshold.
std::optional<boost::json::object> ReuseEvidence(
    const std::vector<UsageSightingRecord>& sightings,
    const PosturePolicy& policy);

// Evidence of human use, or nullopt.
std::optional<boost::json::object> HumanUseEvidence(
    const std::vector<UsageSightingRecord>& sightings,
    const PosturePolicy& policy);

}  // namespace warden::posture

#endif  // WARDEN_POSTURE_USAGE_SIGNALS_H_
