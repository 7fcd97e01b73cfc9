#include "inventory/identity_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/policy_exception.h"
#include "service/field_checks.h"

namespace warden::inventory {
namespace {

constexpr size_t kMaxScopePartLength = 64;

constexpr std::array<std::string_view, 5> kWriteLikeActions = {
    "write", "create", "update", "delete", "manage"};

bool IsScopeChar(char c, bool allow_slash) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || (allow_slash && c == '/');
}

bool IsScopePart(std::string_view part, bool allow_slash) {
  if (part.empty() || part.size() > kMaxScopePartLength) return false;
  return std::all_of(part.begin(), part.end(),
                     [&](char c) { return IsScopeChar(c, allow_slash); });
}

// Score of one scope's action: admin or wildcard 2, write-like 1, else 0.
int ScopeScore(std::string_view scope) {
  const size_t colon = scope.find(':');
  if (colon == std::string_view::npos) return 0;
  const std::string_view action = scope.substr(colon + 1);
  if (action == "admin" || action == "*") return 2;
  const bool write_like =
      std::find(kWriteLikeActions.begin(), kWriteLikeActions.end(), action) !=
      kWriteLikeActions.end();
  return write_like ? 1 : 0;
}

RiskTier TierOfScore(int score) {
  if (score >= 4) return RiskTier::kCritical;
  if (score == 3) return RiskTier::kHigh;
  if (score == 2) return RiskTier::kMedium;
  return RiskTier::kLow;
}

class RiskScore {
 public:
  void Add(int points, std::string factor) {
    if (points == 0) return;
    score_ += points;
    if (!reason_.empty()) reason_ += "; ";
    reason_ += fmt::format("{} (+{})", factor, points);
  }
  DerivedRisk Result() const {
    DerivedRisk out;
    out.tier = TierOfScore(score_);
    out.reason = fmt::format("{} => {} (score {})",
                             reason_.empty() ? "no risk factors" : reason_,
                             Name(out.tier), score_);
    return out;
  }

 private:
  int score_ = 0;
  std::string reason_;
};

Status CheckScopes(const std::vector<std::string>& scopes) {
  if (scopes.size() > kMaxScopes) {
    return FieldError("scopes",
                      fmt::format("more than {} entries", kMaxScopes));
  }
  for (size_t i = 0; i < scopes.size(); ++i) {
    if (!IsWellFormedScope(scopes[i])) {
      return FieldError(
          fmt::format("scopes[{}]", i),
          fmt::format("\"{}\" is not of the form resource:action",
                      scopes[i].substr(0, 2 * kMaxScopePartLength + 1)));
    }
  }
  return Status::Ok();
}

Status CheckRotation(const Identity& identity) {
  if (!identity.rotation_days.has_value()) {
    if (IsSecretBearing(identity.kind)) {
      return FieldError("rotation_days", fmt::format("is required for kind {}",
                                                     Name(identity.kind)));
    }
    return Status::Ok();
  }
  const int days = *identity.rotation_days;
  if (days < 1 || days > kMaxRotationDaysAbsolute) {
    return FieldError("rotation_days", fmt::format("must be between 1 and {}",
                                                   kMaxRotationDaysAbsolute));
  }
  return Status::Ok();
}

Status CheckTexts(const Identity& identity) {
  WARDEN_RETURN_IF_ERROR(CheckText("business_function",
                                   identity.business_function, kMaxTextLength));
  WARDEN_RETURN_IF_ERROR(
      CheckText("auth_method", identity.auth_method, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(
      CheckText("justification", identity.justification, kMaxTextLength));
  if (!identity.vendor.empty()) {
    WARDEN_RETURN_IF_ERROR(
        CheckName("vendor", identity.vendor, kMaxNameLength));
  }
  if (!identity.tenant.empty()) {
    WARDEN_RETURN_IF_ERROR(
        CheckName("tenant", identity.tenant, kMaxNameLength));
  }
  WARDEN_RETURN_IF_ERROR(
      CheckText("external_id", identity.external_id, kMaxTextLength));
  if (!identity.sponsor.empty()) {
    WARDEN_RETURN_IF_ERROR(
        CheckName("sponsor", identity.sponsor, kMaxNameLength));
  }
  return CheckText("task_scope", identity.task_scope, kMaxTextLength);
}

}  // namespace

std::chrono::hours MaxLifetime(RiskTier tier) {
  using Days = std::chrono::days;
  switch (tier) {
    case RiskTier::kLow:
    case RiskTier::kMedium:
      return Days(365);
    case RiskTier::kHigh:
      return Days(180);
    case RiskTier::kCritical:
      return Days(90);
  }
  return Days(90);
}

DerivedRisk DeriveRiskTier(const Identity& identity) {
  RiskScore score;
  if (identity.environment == Environment::kProduction) {
    score.Add(2, "production environment");
  } else if (identity.environment == Environment::kStaging) {
    score.Add(1, "staging environment");
  }
  const std::string* riskiest = nullptr;
  int scope_points = 0;
  for (const std::string& scope : identity.scopes) {
    const int points = ScopeScore(scope);
    if (points > scope_points) {
      scope_points = points;
      riskiest = &scope;
    }
  }
  if (riskiest != nullptr) score.Add(scope_points, "scope " + *riskiest);
  if (!identity.vendor.empty()) {
    score.Add(1, "external vendor " + identity.vendor);
  }
  if (identity.kind == IdentityKind::kApiKey ||
      identity.kind == IdentityKind::kToken) {
    score.Add(1, fmt::format("static bearer kind {}", Name(identity.kind)));
  }
  return score.Result();
}

bool IsWellFormedScope(std::string_view scope) {
  const size_t colon = scope.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view resource = scope.substr(0, colon);
  const std::string_view action = scope.substr(colon + 1);
  if (!IsScopePart(resource, /*allow_slash=*/true)) return false;
  return action == "*" || IsScopePart(action, /*allow_slash=*/false);
}

Status ValidateIdentityFields(const Identity& identity, Timestamp now) {
  WARDEN_RETURN_IF_ERROR(CheckName("name", identity.name, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(CheckName("owner", identity.owner, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(
      CheckName("application", identity.application, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(CheckScopes(identity.scopes));
  WARDEN_RETURN_IF_ERROR(CheckRotation(identity));
  if (identity.expires_at == Timestamp{}) {
    return FieldError("expires_at", "is required");
  }
  if (identity.expires_at <= now) {
    return FieldError("expires_at", "must be in the future");
  }
  return CheckTexts(identity);
}

std::vector<std::string> RequiredExceptions(const Identity& identity,
                                            Timestamp now) {
  std::vector<std::string> rules;
  if (identity.expires_at - now > MaxLifetime(identity.risk_tier)) {
    rules.emplace_back(kRuleExpiryBeyondPolicy);
  }
  if (identity.rotation_days.has_value() &&
      *identity.rotation_days > kMaxRotationDaysByPolicy) {
    rules.emplace_back(kRuleRotationBeyondPolicy);
  }
  if (identity.risk_tier_declared &&
      identity.risk_tier < DeriveRiskTier(identity).tier) {
    rules.emplace_back(kRuleRiskTierBelowDerived);
  }
  return rules;
}

Status CheckTransition(IdentityStatus from, IdentityStatus to) {
  using S = IdentityStatus;
  const bool allowed = (from == S::kActive && to == S::kSuspended) ||
                       (from == S::kSuspended && to == S::kActive) ||
                       (from != S::kRevoked && to == S::kRevoked) ||
                       (from == S::kActive && to == S::kExpired) ||
                       (from == S::kDraft && to == S::kActive);
  if (allowed) return Status::Ok();
  std::string message =
      fmt::format("cannot move identity from {} to {}", Name(from), Name(to));
  if (from == S::kRevoked) message += ": revocation is final";
  return FailedPrecondition(std::move(message), "illegal-transition");
}

Status CheckDraftActivation(const Identity& identity) {
  if (identity.owner != kUnassignedTeam) return Status::Ok();
  return FailedPrecondition(
      fmt::format("identity {} is a draft owned by no one: set its owner "
                  "before activating it",
                  identity.name),
      "owner-required");
}

}  // namespace warden::inventory
