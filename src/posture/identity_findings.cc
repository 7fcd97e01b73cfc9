#include "posture/identity_findings.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/time_format.h"
#include "inventory/identity_rules.h"
#include "posture/finding_catalog.h"
#include "posture/usage_signals.h"

namespace warden::posture {
namespace {

namespace json = boost::json;
using std::chrono::days;

// Auth methods whose credential is a static secret someone holds.
constexpr std::string_view kStaticAuthMethods[] = {"client_secret",
                                                   "client_secret_basic",
                                                   "client_secret_post",
                                                   "api_key",
                                                   "static",
                                                   "password",
                                                   "basic"};

// Kinds whose workloads could use a short-lived credential instead.
bool CouldBeShortLived(IdentityKind kind) {
  return kind == IdentityKind::kServiceAccount ||
         kind == IdentityKind::kWorkload ||
         kind == IdentityKind::kAutomationAccount ||
         kind == IdentityKind::kAgent;
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool IsSet(Timestamp t) { return t != Timestamp{}; }

int64_t DaysBetween(Timestamp from, Timestamp to) {
  return std::chrono::duration_cast<days>(to - from).count();
}

bool IsLive(const PolicyException& e, Timestamp now) {
  return e.state == ExceptionState::kApproved && e.expires_at > now;
}

bool HasLiveException(const IdentityFacts& facts, std::string_view rule,
                      Timestamp now) {
  for (const PolicyException& e : facts.exceptions) {
    if (e.rule == rule && IsLive(e, now)) return true;
  }
  return false;
}

bool HasAnyLiveException(const IdentityFacts& facts, Timestamp now) {
  return std::any_of(
      facts.exceptions.begin(), facts.exceptions.end(),
      [now](const PolicyException& e) { return IsLive(e, now); });
}

// Builds findings on one identity with the catalog's default severity.
class FindingSink {
 public:
  explicit FindingSink(const Identity& identity) : identity_(identity) {}

  void Add(std::string_view rule, json::object evidence,
           std::string severity = {}) {
    Finding f;
    f.rule = rule;
    f.severity = severity.empty() ? std::string(FindRule(rule)->severity)
                                  : std::move(severity);
    f.subject_key = identity_.id;
    f.identity_id = identity_.id;
    f.subject = identity_.name;
    f.owner = identity_.owner;
    f.evidence = std::move(evidence);
    out_.push_back(std::move(f));
  }
  // A finding on something the identity holds (a certificate): its own
  // subject key, so each one has its own lifecycle.
  void AddOn(std::string_view rule, std::string subject_key,
             std::string subject, json::object evidence, std::string severity) {
    Add(rule, std::move(evidence), std::move(severity));
    out_.back().subject_key = std::move(subject_key);
    out_.back().subject = std::move(subject);
  }
  std::vector<Finding> Take() { return std::move(out_); }

 private:
  const Identity& identity_;
  std::vector<Finding> out_;
};

void CheckOwnership(const IdentityFacts& facts, FindingSink& sink) {
  if (facts.owner_has_members) return;
  sink.Add(kOwnerTeamEmpty, {{"team", facts.identity.owner}});
}

void CheckExpiry(const IdentityFacts& facts, Timestamp now, FindingSink& sink) {
  const Identity& id = facts.identity;
  if (!IsSet(id.expires_at)) {
    if (!HasLiveException(facts, kRuleExpiryBeyondPolicy, now)) {
      sink.Add(kExpiryMissing, {{"risk_tier", Name(id.risk_tier)}});
    }
    return;
  }
  if (id.expires_at <= now && id.status == IdentityStatus::kActive) {
    sink.Add(kExpiredStillActive,
             {{"expires_at", FormatRfc3339(id.expires_at)}});
  }
  const auto max_lifetime = inventory::MaxLifetime(id.risk_tier);
  if (id.expires_at - now > max_lifetime &&
      !HasLiveException(facts, kRuleExpiryBeyondPolicy, now)) {
    sink.Add(kExpiryBeyondPolicy,
             {{"expires_at", FormatRfc3339(id.expires_at)},
              {"risk_tier", Name(id.risk_tier)},
              {"max_lifetime_days",
               std::chrono::duration_cast<days>(max_lifetime).count()}});
  }
}

std::string RotationSeverity(int64_t age_days, int period) {
  return age_days > 2 * int64_t{period} ? "critical" : "high";
}

void CheckRotation(const IdentityFacts& facts, Timestamp now,
                   FindingSink& sink) {
  const Identity& id = facts.identity;
  const int period =
      id.rotation_days.value_or(inventory::kMaxRotationDaysByPolicy);
  json::array overdue;
  int64_t oldest = 0;
  for (const SecretFact& secret : facts.secrets) {
    const int64_t age = DaysBetween(secret.current_since, now);
    if (age <= period) continue;
    overdue.push_back({{"secret", secret.name}, {"age_days", age}});
    oldest = std::max(oldest, age);
  }
  const auto& credential = facts.client_credential;
  if (credential && credential->method == "client_secret") {
    const int64_t age = DaysBetween(credential->updated_at, now);
    if (age > period) {
      overdue.push_back({{"client_secret", id.id}, {"age_days", age}});
      oldest = std::max(oldest, age);
    }
  }
  if (overdue.empty()) return;
  sink.Add(kSecretRotationOverdue,
           {{"rotation_days", period},
            {"rotation_days_declared", id.rotation_days.has_value()},
            {"overdue", std::move(overdue)}},
           RotationSeverity(oldest, period));
}

void CheckUse(const IdentityFacts& facts, const PosturePolicy& policy,
              Timestamp now, FindingSink& sink) {
  const Identity& id = facts.identity;
  if (id.status != IdentityStatus::kActive) return;
  const Timestamp since = id.last_used_at.value_or(id.created_at);
  const int64_t idle = DaysBetween(since, now);
  if (idle < policy.unused_days) return;
  sink.Add(kUnused,
           {{"last_used_at", id.last_used_at
                                 ? json::value(FormatRfc3339(*id.last_used_at))
                                 : json::value(nullptr)},
            {"idle_days", idle},
            {"window_days", policy.unused_days}});
}

void CheckScopes(const IdentityFacts& facts, const PosturePolicy& policy,
                 Timestamp now, FindingSink& sink) {
  const Identity& id = facts.identity;
  if (id.scopes.empty() || !id.last_used_at) return;  // unused: other rule
  if (DaysBetween(id.created_at, now) < policy.scope_window_days) return;
  const Timestamp window_start = now - days(policy.scope_window_days);
  std::set<std::string> used;
  for (const ScopeUsageRecord& u : facts.scopes_used) {
    if (u.last_used_at >= window_start) used.insert(u.scope);
  }
  json::array unused, minimal;
  for (const std::string& scope : id.scopes) {
    (used.count(scope) ? minimal : unused).emplace_back(scope);
  }
  if (unused.empty()) return;
  sink.Add(kScopesUnused, {{"granted", json::value_from(id.scopes)},
                           {"unused", std::move(unused)},
                           {"minimal", std::move(minimal)},
                           {"window_days", policy.scope_window_days}});
}

void CheckUsagePatterns(const IdentityFacts& facts, const PosturePolicy& policy,
                        FindingSink& sink) {
  if (auto reuse = ReuseEvidence(facts.sightings, policy)) {
    sink.Add(kIdentityReuse, std::move(*reuse));
  }
  if (auto human = HumanUseEvidence(facts.sightings, policy)) {
    sink.Add(kHumanUse, std::move(*human));
  }
}

void CheckThirdParty(const IdentityFacts& facts, Timestamp now,
                     FindingSink& sink) {
  const Identity& id = facts.identity;
  const bool third_party =
      !id.vendor.empty() || id.kind == IdentityKind::kOauthApp;
  if (!third_party || facts.has_approval || HasAnyLiveException(facts, now)) {
    return;
  }
  sink.Add(kThirdPartyUnapproved,
           {{"vendor", id.vendor}, {"kind", Name(id.kind)}});
}

void CheckCredentialLifetime(const IdentityFacts& facts,
                             const PosturePolicy& policy, FindingSink& sink) {
  const Identity& id = facts.identity;
  if (!CouldBeShortLived(id.kind) ||
      Contains(policy.short_lived_auth_methods, id.auth_method)) {
    return;
  }
  const bool static_method =
      std::find(std::begin(kStaticAuthMethods), std::end(kStaticAuthMethods),
                id.auth_method) != std::end(kStaticAuthMethods);
  const bool holds_secret = facts.client_credential &&
                            facts.client_credential->method == "client_secret";
  if (!static_method && !holds_secret && facts.secrets.empty()) return;
  sink.Add(
      kLongLivedCredential,
      {{"auth_method", id.auth_method},
       {"holds_client_secret", holds_secret},
       {"stored_secrets", static_cast<int64_t>(facts.secrets.size())},
       {"alternatives", json::value_from(policy.short_lived_auth_methods)}});
}

void CheckChangeControl(const IdentityFacts& facts, Timestamp now,
                        FindingSink& sink) {
  const Identity& id = facts.identity;
  const bool controlled =
      id.environment == Environment::kProduction || !id.vendor.empty();
  if (!controlled || facts.has_change_record || facts.has_approval ||
      facts.has_review_keep || HasAnyLiveException(facts, now)) {
    return;
  }
  sink.Add(kChangeControlMissing,
           {{"environment", Name(id.environment)}, {"vendor", id.vendor}});
}

void CheckCertificates(const IdentityFacts& facts, const PosturePolicy& policy,
                       Timestamp now, FindingSink& sink) {
  const int widest = policy.certificate_windows_days.front();
  for (const CertificateRecord& cert : facts.certificates) {
    if (cert.status != "active" || cert.not_after <= now) continue;
    const auto left = cert.not_after - now;
    const int64_t days_left = std::chrono::duration_cast<days>(left).count();
    if (left > days(widest)) continue;
    sink.AddOn(kCertificateExpiring,
               HeldSubjectKey(facts.identity.id, "certificate", cert.serial),
               cert.spiffe_id.empty() ? cert.serial : cert.spiffe_id,
               {{"serial", cert.serial},
                {"not_after", FormatRfc3339(cert.not_after)},
                {"days_left", days_left},
                {"issued_by", "warden"}},
               CertificateExpirySeverity(days_left, policy));
  }
}

void CheckExceptions(const IdentityFacts& facts, Timestamp now,
                     FindingSink& sink) {
  std::vector<std::string> lapsed = LapsedExceptionRules(facts, now);
  if (lapsed.empty()) return;
  sink.Add(kExceptionExpired, {{"rules", json::value_from(lapsed)}});
}

void CheckAgent(const IdentityFacts& facts, FindingSink& sink) {
  const Identity& id = facts.identity;
  if (id.kind != IdentityKind::kAgent) return;
  json::array missing;
  if (id.sponsor.empty()) missing.emplace_back("sponsor");
  if (!id.sponsor.empty() && !facts.sponsor_is_user) {
    missing.emplace_back("sponsor is not a Warden user");
  }
  if (id.task_scope.empty()) missing.emplace_back("task_scope");
  if (!IsSet(id.expires_at)) missing.emplace_back("expires_at");
  if (missing.empty()) return;
  sink.Add(kAgentUnbounded,
           {{"sponsor", id.sponsor}, {"missing", std::move(missing)}});
}

void CheckMaturity(const IdentityFacts& facts, const PosturePolicy& policy,
                   Timestamp now, FindingSink& sink) {
  if (!IsJustified(facts, now)) {
    sink.Add(
        kUnjustified,
        {{"justification_text", facts.identity.justification},
         {"looked_for", json::array{"approval", "change record",
                                    "review decision", "live exception"}}});
  }
  if (!IsRevocable(facts, policy)) {
    sink.Add(kRevocationUnproven,
             {{"auth_method", facts.identity.auth_method},
              {"looked_for",
               json::array{"short-lived credentials", "a rotated secret",
                           "a renewed or revoked certificate"}}});
  }
}

}  // namespace

std::string HeldSubjectKey(std::string_view identity_id, std::string_view kind,
                           std::string_view key) {
  return std::string(identity_id) + "/" + std::string(kind) + "/" +
         std::string(key);
}

bool IsJustified(const IdentityFacts& facts, Timestamp now) {
  return facts.has_approval || facts.has_change_record ||
         facts.has_review_keep || HasAnyLiveException(facts, now);
}

bool IsRevocable(const IdentityFacts& facts, const PosturePolicy& policy) {
  const Identity& id = facts.identity;
  if (id.kind == IdentityKind::kWorkload ||
      Contains(policy.short_lived_auth_methods, id.auth_method)) {
    return true;  // automatic: nothing long-lived to revoke by hand
  }
  const auto& credential = facts.client_credential;
  if (credential && credential->updated_at - id.created_at > days(1)) {
    return true;  // the client secret was rotated after registration
  }
  for (const SecretFact& secret : facts.secrets) {
    if (secret.versions > 1) return true;
  }
  for (const CertificateRecord& cert : facts.certificates) {
    if (!cert.renewed_from.empty() || cert.status == "revoked") return true;
  }
  return false;
}

std::vector<std::string> LapsedExceptionRules(const IdentityFacts& facts,
                                              Timestamp now) {
  std::vector<std::string> lapsed;
  for (const std::string& rule :
       inventory::RequiredExceptions(facts.identity, now)) {
    if (HasLiveException(facts, rule, now)) continue;
    const bool had_one = std::any_of(
        facts.exceptions.begin(), facts.exceptions.end(),
        [&](const PolicyException& e) {
          return e.rule == rule && e.state == ExceptionState::kApproved &&
                 e.expires_at <= now;
        });
    if (had_one) lapsed.push_back(rule);
  }
  return lapsed;
}

std::vector<Finding> EvaluateIdentity(const IdentityFacts& facts,
                                      const PosturePolicy& policy,
                                      Timestamp now) {
  const IdentityStatus status = facts.identity.status;
  if (status == IdentityStatus::kRevoked ||
      status == IdentityStatus::kExpired) {
    return {};
  }
  FindingSink sink(facts.identity);
  CheckOwnership(facts, sink);
  CheckExpiry(facts, now, sink);
  CheckRotation(facts, now, sink);
  CheckUse(facts, policy, now, sink);
  CheckScopes(facts, policy, now, sink);
  CheckUsagePatterns(facts, policy, sink);
  CheckThirdParty(facts, now, sink);
  CheckCredentialLifetime(facts, policy, sink);
  CheckChangeControl(facts, now, sink);
  CheckCertificates(facts, policy, now, sink);
  CheckExceptions(facts, now, sink);
  CheckAgent(facts, sink);
  CheckMaturity(facts, policy, now, sink);
  return sink.Take();
}

}  // namespace warden::posture
