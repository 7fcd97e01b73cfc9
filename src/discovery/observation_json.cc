#include "discovery/observation_json.h"

#include <array>
#include <boost/json.hpp>
#include <string>

namespace warden::discovery {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 8> kKinds = {
    kCertificateKind,    kK8sServiceAccountKind, kK8sSecretKind,
    kK8sRoleBindingKind, kCloudUserKind,         kCloudAccessKeyKind,
    kOAuthGrantKind,     kLeakedSecretKind};

Status Invalid(std::string_view path, std::string_view what) {
  return InvalidArgument(std::string(path) + " " + std::string(what));
}

Result<std::string> BoundedString(const json::value& value,
                                  std::string_view path) {
  if (!value.is_string()) return Invalid(path, "must be a string");
  if (value.get_string().size() > kMaxObservationFieldBytes) {
    return Invalid(path, "is longer than " +
                             std::to_string(kMaxObservationFieldBytes) +
                             " bytes");
  }
  return std::string(value.get_string());
}

Result<std::string> Member(const json::object& object, std::string_view path,
                           std::string_view member, bool required) {
  const json::value* value = object.if_contains(member);
  std::string where = std::string(path) + "." + std::string(member);
  if (value == nullptr) {
    if (required) return Invalid(where, "is required");
    return std::string();
  }
  return BoundedString(*value, where);
}

Status ReadAttributes(const json::object& object, std::string_view path,
                      Observation& out) {
  const json::value* value = object.if_contains("attributes");
  if (value == nullptr) return Status::Ok();
  std::string where = std::string(path) + ".attributes";
  if (!value->is_object()) return Invalid(where, "must be an object");
  if (value->get_object().size() > kMaxObservationAttributes) {
    return Invalid(where, "has more than " +
                              std::to_string(kMaxObservationAttributes) +
                              " members");
  }
  for (const auto& [name, attribute] : value->get_object()) {
    std::string member_path = where + "." + std::string(name);
    if (name.size() > kMaxObservationFieldBytes) {
      return Invalid(where, "has a member name that is too long");
    }
    WARDEN_ASSIGN_OR_RETURN(out.attributes[std::string(name)],
                            BoundedString(attribute, member_path));
  }
  return Status::Ok();
}

bool IsKnownKind(std::string_view kind) {
  for (std::string_view known : kKinds) {
    if (kind == known) return true;
  }
  return false;
}

}  // namespace

json::object ObservationToJson(const Observation& observation) {
  json::object attributes;
  for (const auto& [name, value] : observation.attributes) {
    attributes[name] = value;
  }
  return {{"kind", observation.kind},
          {"source", observation.source},
          {"key", observation.key},
          {"name", observation.name},
          {"location", observation.location},
          {"attributes", std::move(attributes)}};
}

json::object ScanIssueToJson(const ScanIssue& issue) {
  return {{"location", issue.location}, {"message", issue.message}};
}

Result<Observation> ObservationFromJson(const json::value& value,
                                        std::string_view path) {
  if (!value.is_object()) return Invalid(path, "must be an object");
  const json::object& object = value.get_object();
  Observation out;
  WARDEN_ASSIGN_OR_RETURN(out.kind, Member(object, path, "kind", true));
  if (!IsKnownKind(out.kind)) {
    return Invalid(std::string(path) + ".kind",
                   "is not a known observation kind: \"" + out.kind + "\"");
  }
  WARDEN_ASSIGN_OR_RETURN(out.source, Member(object, path, "source", true));
  WARDEN_ASSIGN_OR_RETURN(out.key, Member(object, path, "key", true));
  if (out.key.empty()) return Invalid(std::string(path) + ".key", "is empty");
  WARDEN_ASSIGN_OR_RETURN(out.name, Member(object, path, "name", false));
  WARDEN_ASSIGN_OR_RETURN(out.location,
                          Member(object, path, "location", false));
  WARDEN_RETURN_IF_ERROR(ReadAttributes(object, path, out));
  return out;
}

Result<std::vector<Observation>> ObservationBatchFromJson(
    const json::value& body) {
  const json::value* list = body.is_object()
                                ? body.get_object().if_contains("observations")
                                : nullptr;
  if (list == nullptr || !list->is_array()) {
    return InvalidArgument("body.observations must be an array");
  }
  if (list->get_array().size() > kMaxObservationsPerBatch) {
    return InvalidArgument("body.observations has more than " +
                           std::to_string(kMaxObservationsPerBatch) +
                           " items; send several batches");
  }
  std::vector<Observation> out;
  out.reserve(list->get_array().size());
  for (size_t i = 0; i < list->get_array().size(); ++i) {
    WARDEN_ASSIGN_OR_RETURN(
        Observation observation,
        ObservationFromJson(list->get_array()[i],
                            "observations[" + std::to_string(i) + "]"));
    out.push_back(std::move(observation));
  }
  return out;
}

}  // namespace warden::discovery
