#include "posture/posture_policy.h"

#include <algorithm>
#include <boost/json.hpp>

namespace warden::posture {
namespace {

namespace json = boost::json;

// Bounds on the tunables: a window of more than ten years or a threshold
// in the thousands is a typo, not a policy.
constexpr int kMaxDays = 3650;
constexpr size_t kMaxListItems = 64;

Status Invalid(std::string_view member, std::string_view what) {
  return InvalidArgument("posture policy." + std::string(member) + " " +
                         std::string(what));
}

Status ReadInt(const json::object& object, std::string_view member, int low,
               int high, int& out) {
  const json::value* value = object.if_contains(member);
  if (value == nullptr) return Status::Ok();
  if (!value->is_int64() || value->get_int64() < low ||
      value->get_int64() > high) {
    return Invalid(member, "must be an integer within " + std::to_string(low) +
                               ".." + std::to_string(high));
  }
  out = static_cast<int>(value->get_int64());
  return Status::Ok();
}

Status ReadStrings(const json::object& object, std::string_view member,
                   std::vector<std::string>& out) {
  const json::value* value = object.if_contains(member);
  if (value == nullptr) return Status::Ok();
  if (!value->is_array() || value->get_array().size() > kMaxListItems) {
    return Invalid(member, "must be an array of at most " +
                               std::to_string(kMaxListItems) + " strings");
  }
  out.clear();
  for (const json::value& item : value->get_array()) {
    if (!item.is_string() || item.get_string().empty() ||
        item.get_string().size() > 100) {
      return Invalid(member, "must hold non-empty strings");
    }
    out.emplace_back(item.get_string());
  }
  return Status::Ok();
}

Status ReadWindows(const json::object& object, PosturePolicy& policy) {
  const json::value* value = object.if_contains("certificate_windows_days");
  if (value == nullptr) return Status::Ok();
  if (!value->is_array() || value->get_array().empty() ||
      value->get_array().size() > 8) {
    return Invalid("certificate_windows_days",
                   "must be an array of 1 to 8 day counts");
  }
  policy.certificate_windows_days.clear();
  for (const json::value& item : value->get_array()) {
    if (!item.is_int64() || item.get_int64() < 1 ||
        item.get_int64() > kMaxDays) {
      return Invalid("certificate_windows_days",
                     "must hold integers within 1..3650");
    }
    policy.certificate_windows_days.push_back(
        static_cast<int>(item.get_int64()));
  }
  std::sort(policy.certificate_windows_days.rbegin(),
            policy.certificate_windows_days.rend());
  return Status::Ok();
}

Status ParseUserNetworks(PosturePolicy& policy) {
  policy.user_cidrs.clear();
  for (const std::string& text : policy.user_networks) {
    std::optional<Cidr> cidr = ParseCidr(text);
    if (!cidr) {
      return Invalid("user_networks",
                     "holds \"" + text + "\", not a CIDR like 10.0.0.0/8");
    }
    policy.user_cidrs.push_back(*cidr);
  }
  return Status::Ok();
}

Status ReadBool(const json::object& object, std::string_view member,
                bool& out) {
  const json::value* value = object.if_contains(member);
  if (value == nullptr) return Status::Ok();
  if (!value->is_bool()) return Invalid(member, "must be true or false");
  out = value->get_bool();
  return Status::Ok();
}

json::array IntArray(const std::vector<int>& values) {
  json::array out;
  for (int v : values) out.emplace_back(v);
  return out;
}

json::array StringArray(const std::vector<std::string>& values) {
  json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

}  // namespace

PosturePolicy DefaultPolicy() { return PosturePolicy{}; }

std::string CertificateExpirySeverity(int64_t days_left,
                                      const PosturePolicy& policy) {
  const std::vector<int>& windows = policy.certificate_windows_days;
  if (days_left <= windows.back()) return "critical";
  if (windows.size() > 1 && days_left <= windows[windows.size() - 2]) {
    return "high";
  }
  return "medium";
}

Result<PosturePolicy> PolicyFromJson(const json::value& value) {
  if (!value.is_object())
    return InvalidArgument("posture policy must be an object");
  const json::object& object = value.get_object();
  PosturePolicy policy;
  WARDEN_RETURN_IF_ERROR(
      ReadInt(object, "unused_days", 1, kMaxDays, policy.unused_days));
  WARDEN_RETURN_IF_ERROR(ReadInt(object, "scope_window_days", 1, kMaxDays,
                                 policy.scope_window_days));
  WARDEN_RETURN_IF_ERROR(
      ReadInt(object, "reuse_networks", 2, 1000, policy.reuse_networks));
  WARDEN_RETURN_IF_ERROR(
      ReadInt(object, "reuse_user_agents", 2, 1000, policy.reuse_user_agents));
  WARDEN_RETURN_IF_ERROR(
      ReadStrings(object, "user_networks", policy.user_networks));
  WARDEN_RETURN_IF_ERROR(
      ReadInt(object, "office_hours_start", 0, 23, policy.office_hours_start));
  WARDEN_RETURN_IF_ERROR(
      ReadInt(object, "office_hours_end", 1, 24, policy.office_hours_end));
  if (policy.office_hours_end <= policy.office_hours_start) {
    return Invalid("office_hours_end", "must be after office_hours_start");
  }
  WARDEN_RETURN_IF_ERROR(ReadInt(object, "min_uses_for_pattern", 1, 1000000,
                                 policy.min_uses_for_pattern));
  WARDEN_RETURN_IF_ERROR(ReadWindows(object, policy));
  WARDEN_RETURN_IF_ERROR(ReadInt(object, "cloud_key_rotation_days", 1, kMaxDays,
                                 policy.cloud_key_rotation_days));
  WARDEN_RETURN_IF_ERROR(ReadBool(object, "suspend_on_lapsed_exception",
                                  policy.suspend_on_lapsed_exception));
  WARDEN_RETURN_IF_ERROR(ReadStrings(object, "short_lived_auth_methods",
                                     policy.short_lived_auth_methods));
  WARDEN_RETURN_IF_ERROR(ParseUserNetworks(policy));
  return policy;
}

json::object PolicyToJson(const PosturePolicy& policy) {
  return {
      {"unused_days", policy.unused_days},
      {"scope_window_days", policy.scope_window_days},
      {"reuse_networks", policy.reuse_networks},
      {"reuse_user_agents", policy.reuse_user_agents},
      {"user_networks", StringArray(policy.user_networks)},
      {"office_hours_start", policy.office_hours_start},
      {"office_hours_end", policy.office_hours_end},
      {"min_uses_for_pattern", policy.min_uses_for_pattern},
      {"certificate_windows_days", IntArray(policy.certificate_windows_days)},
      {"cloud_key_rotation_days", policy.cloud_key_rotation_days},
      {"suspend_on_lapsed_exception", policy.suspend_on_lapsed_exception},
      {"short_lived_auth_methods",
       StringArray(policy.short_lived_auth_methods)}};
}

}  // namespace warden::posture
