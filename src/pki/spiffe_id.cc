// SPIFFE ID validation per the SPIFFE ID specification, section 2.
#include "pki/spiffe_id.h"

namespace warden::pki {
namespace {

constexpr std::string_view kScheme = "spiffe://";

Status Refuse(std::string_view text, std::string_view why) {
  std::string shown(text.substr(0, 80));
  return InvalidArgument("spiffe id \"" + shown + "\": " + std::string(why),
                         "invalid-spiffe-id");
}

bool IsTrustDomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

bool IsPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

Status ValidateSegment(std::string_view text, std::string_view segment) {
  if (segment.empty()) return Refuse(text, "path has an empty segment");
  if (segment == "." || segment == "..") {
    return Refuse(text, "path segments may not be '.' or '..'");
  }
  for (char c : segment) {
    if (!IsPathChar(c)) {
      return Refuse(text, "path segments allow only [A-Za-z0-9.-_]");
    }
  }
  return Status::Ok();
}

Status ValidatePath(std::string_view text, std::string_view path) {
  if (path.empty()) return Refuse(text, "a workload id needs a path");
  // path starts with '/'; split the rest on '/'.
  std::string_view rest = path.substr(1);
  while (true) {
    const size_t slash = rest.find('/');
    WARDEN_RETURN_IF_ERROR(ValidateSegment(text, rest.substr(0, slash)));
    if (slash == std::string_view::npos) return Status::Ok();
    rest = rest.substr(slash + 1);
  }
}

}  // namespace

Status ValidateTrustDomain(std::string_view domain) {
  if (domain.empty()) return Refuse(domain, "trust domain is empty");
  for (char c : domain) {
    if (!IsTrustDomainChar(c)) {
      return Refuse(domain,
                    "trust domain allows only lower-case [a-z0-9.-_] (no "
                    "port, userinfo or upper case)");
    }
  }
  return Status::Ok();
}

Result<SpiffeId> ParseSpiffeId(std::string_view text) {
  if (text.size() > kMaxSpiffeIdLength) {
    return Refuse(text, "longer than 2048 bytes");
  }
  if (text.substr(0, kScheme.size()) != kScheme) {
    return Refuse(text, "scheme must be spiffe://");
  }
  const std::string_view rest = text.substr(kScheme.size());
  const size_t slash = rest.find('/');
  const std::string_view domain = rest.substr(0, slash);
  WARDEN_RETURN_IF_ERROR(ValidateTrustDomain(domain).WithContext(
      "spiffe id \"" + std::string(text.substr(0, 80)) + "\""));
  const std::string_view path =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  WARDEN_RETURN_IF_ERROR(ValidatePath(text, path));
  return SpiffeId{std::string(domain), std::string(path)};
}

std::string WorkloadSpiffeId(std::string_view trust_domain,
                             std::string_view environment,
                             std::string_view name) {
  return "spiffe://" + std::string(trust_domain) + "/ns/" +
         std::string(environment) + "/sa/" + std::string(name);
}

std::optional<WorkloadName> ParseWorkloadSpiffeId(
    std::string_view id, std::string_view trust_domain) {
  constexpr std::string_view kScheme = "spiffe://";
  if (!id.starts_with(kScheme)) return std::nullopt;
  id.remove_prefix(kScheme.size());
  if (!id.starts_with(trust_domain)) return std::nullopt;
  id.remove_prefix(trust_domain.size());
  constexpr std::string_view kNamespace = "/ns/";
  if (!id.starts_with(kNamespace)) return std::nullopt;
  id.remove_prefix(kNamespace.size());
  const size_t sa = id.find("/sa/");
  if (sa == std::string_view::npos || sa == 0) return std::nullopt;
  WorkloadName out{id.substr(0, sa), id.substr(sa + 4)};
  if (out.name.empty() || out.name.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return out;
}

}  // namespace warden::pki
