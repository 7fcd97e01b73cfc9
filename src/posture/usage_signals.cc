#include "posture/usage_signals.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <set>

namespace warden::posture {
namespace {

namespace json = boost::json;

// Product tokens of interactive clients (lower case, matched at the start
// of the user agent or of one of its product tokens).
constexpr std::string_view kInteractiveProducts[] = {
    "mozilla/", "postmanruntime/", "insomnia/", "curl/", "httpie/", "wget/",
    "paw/",     "bruno/",          "hoppscotch"};

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The first product token: "python-requests/2.31 CPython" -> "python-requests".
std::string ProductOf(std::string_view user_agent) {
  const size_t end = user_agent.find_first_of("/ ");
  return Lower(user_agent.substr(0, end));
}

json::array Sorted(const std::set<std::string>& values) {
  json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

bool InUserNetworks(std::string_view network, const PosturePolicy& policy) {
  for (const Cidr& cidr : policy.user_cidrs) {
    if (CidrContains(cidr, network)) return true;
  }
  return false;
}

// A mask of the UTC hours outside office hours.
int64_t OffHoursMask(const PosturePolicy& policy) {
  int64_t mask = 0;
  for (int h = 0; h < 24; ++h) {
    if (h < policy.office_hours_start || h >= policy.office_hours_end) {
      mask |= int64_t{1} << h;
    }
  }
  return mask;
}

constexpr int64_t kWeekendMask = (int64_t{1} << 0) | (int64_t{1} << 6);

}  // namespace

bool IsInteractiveUserAgent(std::string_view user_agent) {
  const std::string lower = Lower(user_agent);
  for (std::string_view product : kInteractiveProducts) {
    if (lower.rfind(product, 0) == 0) return true;
  }
  return false;
}

std::optional<json::object> ReuseEvidence(
    const std::vector<UsageSightingRecord>& sightings,
    const PosturePolicy& policy) {
  std::set<std::string> networks, agents, clients;
  for (const UsageSightingRecord& s : sightings) {
    if (!s.source_network.empty()) networks.insert(s.source_network);
    if (!s.user_agent.empty()) agents.insert(ProductOf(s.user_agent));
    if (!s.client.empty()) clients.insert(s.client);
  }
  const bool reused =
      static_cast<int>(networks.size()) >= policy.reuse_networks ||
      static_cast<int>(agents.size()) >= policy.reuse_user_agents;
  if (!reused) return std::nullopt;
  return json::object{{"source_networks", Sorted(networks)},
                      {"user_agents", Sorted(agents)},
                      {"clients", Sorted(clients)},
                      {"threshold_networks", policy.reuse_networks},
                      {"threshold_user_agents", policy.reuse_user_agents}};
}

std::optional<json::object> HumanUseEvidence(
    const std::vector<UsageSightingRecord>& sightings,
    const PosturePolicy& policy) {
  std::set<std::string> interactive;
  int64_t uses = 0, hours = 0, weekdays = 0;
  bool all_from_user_networks = !policy.user_cidrs.empty();
  for (const UsageSightingRecord& s : sightings) {
    if (IsInteractiveUserAgent(s.user_agent)) interactive.insert(s.user_agent);
    uses += s.uses;
    hours |= s.hours_mask;
    weekdays |= s.weekdays_mask;
    if (!InUserNetworks(s.source_network, policy)) {
      all_from_user_networks = false;
    }
  }
  const bool office_pattern =
      all_from_user_networks && uses >= policy.min_uses_for_pattern &&
      (hours & OffHoursMask(policy)) == 0 && (weekdays & kWeekendMask) == 0;
  if (interactive.empty() && !office_pattern) return std::nullopt;
  json::object evidence{
      {"interactive_user_agents", Sorted(interactive)},
      {"office_hours_only_from_user_networks", office_pattern},
      {"uses", uses}};
  return evidence;
}

}  // namespace warden::posture
