#include "discovery/drift_changes.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <set>
#include <sstream>

#include "core/time_format.h"

namespace warden::discovery {
namespace {

namespace json = boost::json;

json::object Change(std::string_view field, std::string inventory,
                    std::string observed) {
  return {{"field", field},
          {"inventory", std::move(inventory)},
          {"observed", std::move(observed)}};
}

std::string Attribute(const Observation& o, const std::string& name) {
  auto found = o.attributes.find(name);
  return found == o.attributes.end() ? std::string() : found->second;
}

std::string Joined(const std::set<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : " ") + v;
  return out;
}

void CompareExpiry(const Observation& o, const Identity& identity,
                   json::array& changes) {
  Result<Timestamp> not_after = ParseRfc3339(Attribute(o, "not_after"));
  if (!not_after.ok()) return;
  const auto apart = *not_after > identity.expires_at
                         ? *not_after - identity.expires_at
                         : identity.expires_at - *not_after;
  if (apart <= std::chrono::hours(24)) return;
  changes.push_back(Change("expires_at", FormatRfc3339(identity.expires_at),
                           FormatRfc3339(*not_after)));
}

void CompareScopes(const Observation& o, const Identity& identity,
                   json::array& changes) {
  std::set<std::string> observed;
  std::istringstream words(Attribute(o, "scopes"));
  for (std::string scope; words >> scope;) observed.insert(scope);
  const std::set<std::string> granted(identity.scopes.begin(),
                                      identity.scopes.end());
  if (observed == granted) return;
  changes.push_back(Change("scopes", Joined(granted), Joined(observed)));
}

}  // namespace

IdentityKind IdentityKindOf(std::string_view kind) {
  if (kind == kCertificateKind) return IdentityKind::kCertificate;
  if (kind == kOAuthGrantKind) return IdentityKind::kOauthApp;
  if (kind == kCloudAccessKeyKind || kind == kLeakedSecretKind) {
    return IdentityKind::kApiKey;
  }
  if (kind == kCloudUserKind) return IdentityKind::kAutomationAccount;
  return IdentityKind::kServiceAccount;  // Kubernetes objects
}

json::array DriftChanges(const Observation& o, const Identity& identity) {
  json::array changes;
  const IdentityKind expected = IdentityKindOf(o.kind);
  const bool kind_matches =
      identity.kind == expected || (expected == IdentityKind::kServiceAccount &&
                                    identity.kind == IdentityKind::kWorkload);
  if (!kind_matches) {
    changes.push_back(Change("kind", std::string(Name(identity.kind)),
                             std::string(Name(expected))));
  }
  if (o.kind == kCertificateKind) CompareExpiry(o, identity, changes);
  if (o.kind == kOAuthGrantKind) CompareScopes(o, identity, changes);
  return changes;
}

}  // namespace warden::discovery
