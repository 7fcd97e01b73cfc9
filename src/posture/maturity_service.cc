#include "posture/maturity_service.h"

#include "discovery/observation.h"
#include "posture/finding_catalog.h"
#include "service/field_checks.h"

namespace warden::posture {
namespace {

constexpr int kMaxDrillDown = 100;
constexpr int kMaxHistory = 1000;

// Statuses of identities that count (not offboarded).
constexpr IdentityStatus kCountedStatuses[] = {
    IdentityStatus::kActive, IdentityStatus::kSuspended,
    IdentityStatus::kPending, IdentityStatus::kDraft};

IdentityFilter ScopeFilter(const MaturityScope& scope) {
  IdentityFilter filter;
  if (!scope.team.empty()) filter.owner = scope.team;
  if (!scope.application.empty()) filter.application = scope.application;
  filter.environment = scope.environment;
  return filter;
}

void Finish(MaturityShare& share) {
  share.share = share.total == 0 ? 1.0
                                 : static_cast<double>(share.ok) /
                                       static_cast<double>(share.total);
}

Result<int64_t> CountIdentities(Transaction& tx, const MaturityScope& scope) {
  int64_t total = 0;
  for (IdentityStatus status : kCountedStatuses) {
    IdentityFilter filter = ScopeFilter(scope);
    filter.status = status;
    WARDEN_ASSIGN_OR_RETURN(int64_t n, tx.identities().Count(filter));
    total += n;
  }
  return total;
}

// A share that fails where `rule` has an unresolved finding.
Result<MaturityShare> ShareByRule(Transaction& tx, const MaturityScope& scope,
                                  std::string_view rule, int64_t total,
                                  int drill_down) {
  FindingFilter filter;
  filter.rule = std::string(rule);
  filter.state = "unresolved";
  filter.owner = scope.team;
  filter.application = scope.application;
  filter.environment = scope.environment;
  WARDEN_ASSIGN_OR_RETURN(std::vector<FindingCount> counts,
                          tx.findings().Count(filter));
  int64_t failing = 0;
  for (const FindingCount& c : counts) failing += c.count;
  MaturityShare share;
  share.total = total;
  share.ok = std::max<int64_t>(0, total - failing);
  if (drill_down > 0) {
    WARDEN_ASSIGN_OR_RETURN(
        Page<FindingRecord> page,
        tx.findings().List(filter, {std::nullopt, drill_down}));
    for (const FindingRecord& f : page.items) {
      share.failing.push_back(
          {"identity", f.identity_id, f.subject, f.owner, f.id});
    }
  }
  Finish(share);
  return share;
}

Result<MaturityShare> Inventoried(Transaction& tx, const MaturityScope& scope,
                                  int drill_down) {
  WARDEN_ASSIGN_OR_RETURN(
      auto counts,
      tx.observations().CountInventoried(discovery::IdentityObservationKinds(),
                                         ScopeFilter(scope)));
  MaturityShare share;
  share.total = counts.first;
  share.ok = counts.second;
  const bool scoped = !scope.team.empty() || !scope.application.empty() ||
                      scope.environment.has_value();
  if (drill_down > 0 && !scoped) {
    ObservationFilter filter;
    filter.state = "present";
    filter.unmanaged_only = true;
    filter.kinds = discovery::IdentityObservationKinds();
    WARDEN_ASSIGN_OR_RETURN(
        Page<ObservationRecord> page,
        tx.observations().List(filter, {std::nullopt, drill_down}));
    for (const ObservationRecord& o : page.items) {
      share.failing.push_back(
          {"observation", o.kind + "/" + o.key, o.name, "", ""});
    }
  }
  Finish(share);
  return share;
}

std::string SnapshotScope(const MaturityScope& scope) {
  return scope.team.empty() ? std::string() : "team:" + scope.team;
}

}  // namespace

MaturityService::MaturityService(Auditor& auditor, FindingSweep& sweep)
    : auditor_(auditor), sweep_(sweep) {}

Result<MaturityView> MaturityService::Get(const Caller& caller,
                                          const MaturityScope& scope,
                                          int drill_down, int history) {
  if (drill_down < 0 || drill_down > kMaxDrillDown) {
    return FieldError("drill_down", "must be between 0 and 100");
  }
  if (history < 0 || history > kMaxHistory) {
    return FieldError("history", "must be between 0 and 1000");
  }
  WARDEN_RETURN_IF_ERROR(auditor_.Authorize(caller, Permission::kPostureRead,
                                            "maturity.get", "maturity"));
  WARDEN_RETURN_IF_ERROR(sweep_.RunIfStale());
  MaturityView view;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "maturity.get", "maturity",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(int64_t total, CountIdentities(tx, scope));
        WARDEN_ASSIGN_OR_RETURN(view.inventoried,
                                Inventoried(tx, scope, drill_down));
        WARDEN_ASSIGN_OR_RETURN(
            view.justified,
            ShareByRule(tx, scope, kUnjustified, total, drill_down));
        WARDEN_ASSIGN_OR_RETURN(
            view.revocable,
            ShareByRule(tx, scope, kRevocationUnproven, total, drill_down));
        const bool snapshotted =
            scope.application.empty() && !scope.environment.has_value();
        if (snapshotted && history > 0) {
          WARDEN_ASSIGN_OR_RETURN(
              view.history, tx.maturity().List(SnapshotScope(scope), history));
        }
        return Status::Ok();
      },
      {{"team", scope.team}, {"application", scope.application}}));
  return view;
}

}  // namespace warden::posture
