#include "server/replica_changes.h"

#include <array>
#include <cstdio>

#include "access/policy_versions.h"
#include "core/clock.h"
#include "core/vocabulary.h"

namespace warden::server {
namespace {

using exposure::ExposureSection;
using exposure::kAllEnvironments;

constexpr size_t kEnvironments = std::size(kAllEnvironments);

// Prefixes of ChangeKey::Exposure("flags", env) and ChangeKey::Setting(key).
constexpr std::string_view kFlagsPrefix = "exposure/flags/";
constexpr std::string_view kSettingPrefix = "setting/";

struct Needed {
  std::array<uint8_t, kEnvironments> sections{};  // ExposureSection bits
  std::array<bool, kEnvironments> access_policies{};
  bool revocation = false;
  bool limits = false;
  bool signing_keys = false;
  bool credentials = false;
};

void AddSection(Needed& needed, std::optional<Environment> env,
                ExposureSection section) {
  for (size_t i = 0; i < kEnvironments; ++i) {
    if (!env || kAllEnvironments[i] == *env) {
      needed.sections[i] |= static_cast<uint8_t>(section);
    }
  }
}

// What `key` asks this replica to reload (nothing for keys it keeps no
// state for: identities, tokens and users live in the ChangeFeed's caches).
void Classify(std::string_view key, Needed& needed) {
  if (key == ChangeKey::Everything()) {
    AddSection(needed, std::nullopt, ExposureSection::kAll);
    needed.access_policies.fill(true);
    needed.revocation = true;
    needed.limits = true;
    needed.signing_keys = true;
    needed.credentials = true;
  } else if (key == ChangeKey::RevocationState()) {
    needed.revocation = true;
  } else if (key.starts_with("api_token/") || key.starts_with("user/")) {
    needed.credentials = true;
  } else if (key == ChangeKey::SigningKeys()) {
    needed.signing_keys = true;
  } else if (key.starts_with(kFlagsPrefix)) {
    auto env = ParseEnvironment(key.substr(kFlagsPrefix.size()));
    if (env) AddSection(needed, env, ExposureSection::kFlags);
  } else if (key == ChangeKey::Exposure("tenants")) {
    AddSection(needed, std::nullopt, ExposureSection::kTenants);
  } else if (key == ChangeKey::Exposure("segments")) {
    AddSection(needed, std::nullopt, ExposureSection::kSegments);
  } else if (key == ChangeKey::Exposure("limits")) {
    AddSection(needed, std::nullopt, ExposureSection::kLimits);
    needed.limits = true;
  } else if (key == ChangeKey::Exposure("gates")) {
    AddSection(needed, std::nullopt, ExposureSection::kGates);
  } else if (key.starts_with(kSettingPrefix)) {
    const std::string_view setting = key.substr(kSettingPrefix.size());
    for (Environment env : kAllEnvironments) {
      if (setting == access::HeadKey(env)) {
        needed.access_policies[static_cast<size_t>(env)] = true;
      }
      if (setting == exposure::EvaluatorsSettingKey(env) ||
          setting == exposure::FlagSetMetadataSettingKey(env)) {
        AddSection(needed, env, ExposureSection::kFlags);
      }
    }
  }
}

void LogFailure(const char* what, const Status& status) {
  std::fprintf(stderr, "replica: applying another replica's %s: %s\n", what,
               status.ToString().c_str());
}

}  // namespace

void ReplicaChanges::Attach(exposure::ExposurePublisher* publisher,
                            oauth::AuthorizationServer* oauth,
                            access::AccessDecisionPoint* access,
                            std::function<void()> credentials_changed) {
  MutexLock lock(mu_);
  publisher_ = publisher;
  oauth_ = oauth;
  access_ = access;
  credentials_changed_ = std::move(credentials_changed);
}

void ReplicaChanges::Detach() {
  MutexLock lock(mu_);
  publisher_ = nullptr;
  oauth_ = nullptr;
  access_ = nullptr;
  credentials_changed_ = nullptr;
}

void ReplicaChanges::Apply(std::span<const std::string> keys) {
  Needed needed;
  for (const std::string& key : keys) Classify(key, needed);
  MutexLock lock(mu_);
  if (needed.credentials && credentials_changed_) credentials_changed_();
  if (needed.revocation && oauth_ != nullptr) {
    const Status refreshed = oauth_->revocation().Refresh();
    if (!refreshed.ok()) LogFailure("revocations", refreshed);
  }
  if (needed.signing_keys && oauth_ != nullptr) {
    const Status refreshed = oauth_->keys().Refresh(SystemClock().Now());
    if (!refreshed.ok()) LogFailure("signing keys", refreshed);
  }
  if (needed.limits && oauth_ != nullptr) {
    const Status reloaded = oauth_->limits().Reload();
    if (!reloaded.ok()) LogFailure("exposure limits", reloaded);
  }
  for (size_t i = 0; access_ != nullptr && i < kEnvironments; ++i) {
    if (!needed.access_policies[i]) continue;
    const Status reloaded = access_->Reload(kAllEnvironments[i]);
    if (!reloaded.ok()) LogFailure("access policy", reloaded);
  }
  if (publisher_ == nullptr) return;
  boost::json::object change;
  change["kind"] = "replica";
  for (size_t i = 0; i < kEnvironments; ++i) {
    if (needed.sections[i] == 0) continue;
    const Status published =
        publisher_->Publish(kAllEnvironments[i], change,
                            static_cast<ExposureSection>(needed.sections[i]));
    if (!published.ok()) LogFailure("exposure change", published);
  }
}

}  // namespace warden::server
