#include "releases/release_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "core/id.h"
#include "exposure/exposure_checks.h"
#include "releases/exposure_plan.h"
#include "releases/release_dependencies.h"
#include "releases/release_json.h"
#include "releases/release_lookup.h"
#include "releases/release_notes.h"
#include "releases/risk_policy.h"
#include "service/audited_write.h"
#include "service/field_checks.h"

namespace warden::releases {
namespace {

namespace json = boost::json;

constexpr size_t kMaxNameLength = 128;

Status CheckRequest(ReleaseRequest& request) {
  WARDEN_RETURN_IF_ERROR(CheckName("service", request.service, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(CheckName("version", request.version, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(CheckName("owner", request.owner, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(
      exposure::CheckKeyList("flags", request.flags, kMaxReleaseItems));
  WARDEN_RETURN_IF_ERROR(exposure::CheckKeyList(
      "integrations", request.integrations, kMaxReleaseItems));
  if (request.identities.size() > kMaxReleaseItems) {
    return FieldError("identities",
                      fmt::format("at most {} entries", kMaxReleaseItems));
  }
  for (const std::string& identity : request.identities) {
    WARDEN_RETURN_IF_ERROR(CheckName("identities", identity, 256));
  }
  return Status::Ok();
}

// Each entry is an identity id or name; the release stores ids.
Result<std::vector<Identity>> ResolveIdentities(
    Transaction& tx, const std::vector<std::string>& references) {
  std::vector<Identity> identities;
  for (const std::string& reference : references) {
    Result<Identity> found = tx.identities().Get(reference);
    if (!found.ok() && found.status().code() == StatusCode::kNotFound) {
      found = tx.identities().GetByName(reference);
    }
    if (!found.ok()) {
      if (found.status().code() != StatusCode::kNotFound) {
        return found.status();
      }
      return FieldError(
          "identities",
          fmt::format("no identity with id or name \"{}\"", reference));
    }
    const bool seen = std::any_of(
        identities.begin(), identities.end(),
        [&](const Identity& other) { return other.id == found->id; });
    if (!seen) identities.push_back(std::move(*found));
  }
  return identities;
}

// The declared tier, unless it is below what the release's dependencies
// make it (a waiver of that is a policy exception, not a field).
Status ApplyRisk(const ReleaseRequest& request,
                 const std::vector<Identity>& identities,
                 ReleaseRecord& release) {
  const DerivedRisk derived =
      DeriveReleaseRisk(identities, request.integrations);
  if (request.risk_tier && *request.risk_tier < derived.tier) {
    return FieldError("risk_tier",
                      fmt::format("{} is below the derived tier {} ({})",
                                  Name(*request.risk_tier), Name(derived.tier),
                                  derived.reason));
  }
  release.risk_tier_declared = request.risk_tier.has_value();
  release.risk_tier = request.risk_tier.value_or(derived.tier);
  release.risk_reason = release.risk_tier_declared
                            ? fmt::format("declared; derived {} ({})",
                                          Name(derived.tier), derived.reason)
                            : derived.reason;
  return Status::Ok();
}

std::string IdentityIds(const std::vector<Identity>& identities) {
  std::vector<std::string> ids;
  for (const Identity& identity : identities) ids.push_back(identity.id);
  return fmt::format("{}", fmt::join(ids, ","));
}

}  // namespace

Status PublishGates(exposure::ExposurePublisher& publisher, Environment env,
                    std::string_view kind, std::string_view release_id) {
  return publisher.Publish(env,
                           json::object{{"kind", kind}, {"id", release_id}},
                           exposure::ExposureSection::kGates);
}

void ReleaseService::RegisterApprovalKinds() {
  auto describe = [](Transaction& tx,
                     const ApprovalRecord& approval) -> Result<std::string> {
    Result<ReleaseRecord> release = tx.releases().Get(approval.release_id);
    if (!release.ok()) {
      if (release.status().code() == StatusCode::kNotFound) {
        return std::string("{}");
      }
      return release.status();
    }
    return json::serialize(ReleaseSummaryJson(*release));
  };
  approvals::KindHooks activation;
  activation.describe = describe;
  activation.after_commit = [this](const ApprovalRecord& approval) {
    std::optional<ReleaseRecord> release;
    const Status read = store_.Read([&](Transaction& tx) -> Status {
      WARDEN_ASSIGN_OR_RETURN(release, tx.releases().Get(approval.release_id));
      return Status::Ok();
    });
    if (!read.ok()) return;
    exposure::ReportPublishFailure(
        "approval.decide", PublishGates(publisher_, release->environment,
                                        "approval.decide", release->id));
  };
  approvals_.RegisterKind(approvals::kKindTenantActivation,
                          std::move(activation));
  approvals::KindHooks stage;
  stage.describe = describe;
  approvals_.RegisterKind(approvals::kKindStageAdvance, std::move(stage));
}

Result<ReleaseRecord> ReleaseService::Record(const Caller& caller,
                                             ReleaseRequest request) {
  ReleaseRecord release;
  release.id = NewId(auditor_.clock().Now());
  AuditedWrite write(store_, auditor_, caller, "release.record",
                     ReleaseTarget(release.id), Permission::kReleaseRecord);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(CheckRequest(request));
    WARDEN_RETURN_IF_ERROR(write.Authorize(request.owner));
    WARDEN_ASSIGN_OR_RETURN(std::vector<Identity> identities,
                            ResolveIdentities(tx, request.identities));
    WARDEN_ASSIGN_OR_RETURN(ReleaseNotes notes,
                            ParseNotes(request.notes, request.flags));
    WARDEN_ASSIGN_OR_RETURN(ExposurePlan plan,
                            request.plan.is_null()
                                ? Result<ExposurePlan>(DefaultPlan())
                                : ParsePlan(request.plan));
    release.service = request.service;
    release.service_version = request.version;
    release.environment =
        request.environment.value_or(Environment::kProduction);
    release.owner = request.owner;
    release.flags = request.flags;
    for (const Identity& identity : identities) {
      release.identities.push_back(identity.id);
    }
    std::sort(release.identities.begin(), release.identities.end());
    release.integrations = request.integrations;
    WARDEN_RETURN_IF_ERROR(ApplyRisk(request, identities, release));
    release.notes_json = json::serialize(NotesToJson(notes));
    release.plan_json = json::serialize(PlanToJson(plan));
    release.stage = 0;
    release.stage_entered_at = write.now();
    // A first stage with a timer is entered on its own after the deploy.
    if (plan.stages.front().advance_after_minutes) {
      release.next_advance_at =
          write.now() +
          std::chrono::minutes(*plan.stages.front().advance_after_minutes);
    }
    release.created_by = caller.principal.subject;
    release.created_at = release.updated_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.releases().Insert(release));
    return write.Record(tx,
                        json::object{{"service", release.service},
                                     {"version", release.service_version},
                                     {"environment", Name(release.environment)},
                                     {"risk_tier", Name(release.risk_tier)},
                                     {"flags", release.flags.size()},
                                     {"identities", IdentityIds(identities)}});
  });
  if (!status.ok()) return status;
  exposure::ReportPublishFailure("release.record",
                                 PublishGates(publisher_, release.environment,
                                              "release.record", release.id));
  return release;
}

Result<ReleaseRecord> ReleaseService::Get(const Caller& caller,
                                          std::string_view id) {
  std::optional<ReleaseRecord> release;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kReleaseRead, "release.read", ReleaseTarget(id),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(release, LoadRelease(tx, id));
        return Status::Ok();
      }));
  return std::move(*release);
}

Result<Page<ReleaseRecord>> ReleaseService::List(const Caller& caller,
                                                 const ReleaseFilter& filter,
                                                 const PageRequest& page) {
  Page<ReleaseRecord> result;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kReleaseRead, "release.list", "releases",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(result, tx.releases().List(filter, page));
        return Status::Ok();
      }));
  return result;
}

namespace {

// Adds the stored identities named by `ids` that are not there yet.
Status AddIdentities(Transaction& tx, const std::vector<std::string>& ids,
                     Dependents& out) {
  for (const std::string& id : ids) {
    const bool known = std::any_of(
        out.identities.begin(), out.identities.end(),
        [&](const Identity& identity) { return identity.id == id; });
    if (known) continue;
    Result<Identity> identity = tx.identities().Get(id);
    if (identity.ok()) {
      out.identities.push_back(std::move(*identity));
    } else if (identity.status().code() != StatusCode::kNotFound) {
      return identity.status();
    }
  }
  return Status::Ok();
}

void AddUnique(const std::vector<std::string>& items,
               std::vector<std::string>& out) {
  for (const std::string& item : items) {
    if (std::find(out.begin(), out.end(), item) == out.end()) {
      out.push_back(item);
    }
  }
}

}  // namespace

Result<Dependents> ReleaseService::DependenciesOf(const Caller& caller,
                                                  std::string_view id) {
  Dependents out;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kReleaseRead, "release.dependencies",
      ReleaseTarget(id), [&](Transaction& tx) -> Status {
        out = Dependents{};
        WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, LoadRelease(tx, id));
        out.releases = {release.id};
        out.flags = release.flags;
        out.integrations = release.integrations;
        return AddIdentities(tx, release.identities, out);
      }));
  return out;
}

Result<Dependents> ReleaseService::DependentsOfFlag(const Caller& caller,
                                                    Environment env,
                                                    std::string_view flag) {
  Dependents out;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kReleaseRead, "flag.dependents",
      fmt::format("flag/{}/{}", Name(env), flag),
      [&](Transaction& tx) -> Status {
        out = Dependents{};
        out.flags = {std::string(flag)};
        ReleaseFilter filter;
        filter.flag = std::string(flag);
        filter.environment = env;
        WARDEN_ASSIGN_OR_RETURN(
            Page<ReleaseRecord> page,
            tx.releases().List(filter, {std::nullopt, kMaxReleaseItems}));
        for (const ReleaseRecord& release : page.items) {
          out.releases.push_back(release.id);
          AddUnique(release.integrations, out.integrations);
          WARDEN_RETURN_IF_ERROR(AddIdentities(tx, release.identities, out));
        }
        WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> gated,
                                tx.oauth().ListIdentitiesGatedBy(flag));
        return AddIdentities(tx, gated, out);
      }));
  return out;
}

Result<Readiness> ReleaseService::CheckReadiness(const Caller& caller,
                                                 std::string_view id) {
  std::optional<Readiness> readiness;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kReleaseRead, "release.readiness", ReleaseTarget(id),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, LoadRelease(tx, id));
        WARDEN_ASSIGN_OR_RETURN(
            readiness, EvaluateReadiness(tx, release, auditor_.clock().Now()));
        return Status::Ok();
      }));
  return std::move(*readiness);
}

Result<Runbook> ReleaseService::GetRunbook(const Caller& caller,
                                           std::string_view id) {
  std::optional<Runbook> runbook;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kReleaseRead, "release.runbook.read",
      ReleaseTarget(id), [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, LoadRelease(tx, id));
        WARDEN_ASSIGN_OR_RETURN(runbook, RunbookFromText(release.runbook_json));
        if (runbook->steps.empty()) {
          WARDEN_ASSIGN_OR_RETURN(ReleaseDependencies deps,
                                  LoadDependencies(tx, release));
          runbook = GenerateRunbook(release, deps, auditor_.clock().Now());
        }
        return Status::Ok();
      }));
  return std::move(*runbook);
}

Result<Runbook> ReleaseService::DryRunRunbook(const Caller& caller,
                                              std::string_view id) {
  Runbook runbook;
  AuditedWrite write(store_, auditor_, caller, "release.runbook.dry_run",
                     ReleaseTarget(id), Permission::kReleaseOperate);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, LoadRelease(tx, id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(release.owner));
    WARDEN_ASSIGN_OR_RETURN(ReleaseDependencies deps,
                            LoadDependencies(tx, release));
    runbook = GenerateRunbook(release, deps, write.now());
    WARDEN_RETURN_IF_ERROR(DryRun(tx, release, runbook, write.now()));
    release.runbook_json = json::serialize(RunbookToJson(runbook));
    release.runbook_dry_run_at = write.now();
    release.updated_at = write.now();
    ++release.version;
    WARDEN_RETURN_IF_ERROR(tx.releases().Update(release));
    return write.Record(tx, json::object{{"steps", runbook.steps.size()},
                                         {"ok", runbook.dry_run_ok}});
  });
  if (!status.ok()) return status;
  return runbook;
}

// The request is the call's change: the engine writes it and its one
// audit record ("approval.request"); this call authorizes and validates.
Result<ApprovalRecord> ReleaseService::RequestActivation(
    const Caller& caller, std::string_view id, std::string_view tenant,
    std::string reason) {
  constexpr char kAction[] = "release.activation.request";
  std::optional<ReleaseRecord> release;
  std::optional<TenantRecord> found;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(release, LoadRelease(tx, id));
    Result<TenantRecord> stored = tx.tenants().Get(tenant);
    if (stored.ok()) found = std::move(*stored);
    if (stored.ok() || stored.status().code() == StatusCode::kNotFound) {
      return Status::Ok();
    }
    return stored.status();
  }));
  WARDEN_RETURN_IF_ERROR(auditor_.Authorize(caller, Permission::kReleaseOperate,
                                            kAction, ReleaseTarget(id),
                                            release->owner));
  Status refused;
  if (!NeedsTenantClearance(release->risk_tier)) {
    refused = FailedPrecondition(
        fmt::format("release {} is {} risk: tenants need no activation",
                    release->id, Name(release->risk_tier)),
        "activation-not-needed");
  } else if (!found) {
    refused = FieldError("tenant",
                         fmt::format("tenant \"{}\" does not exist", tenant));
  } else if (found->account_manager.empty()) {
    refused = FailedPrecondition(
        fmt::format("tenant {} has no account manager to decide", tenant),
        "no-account-manager");
  }
  if (!refused.ok()) {
    return auditor_.Failed(caller, kAction, ReleaseTarget(id), refused);
  }
  approvals::ApprovalRequest request;
  request.kind = approvals::kKindTenantActivation;
  request.release_id = release->id;
  request.tenant_key = found->key;
  request.approver_role = Name(Role::kAccountManager);
  request.approver = found->account_manager;
  request.reason = std::move(reason);
  request.subject_json = json::serialize(json::object{
      {"release", release->id},
      {"tenant", found->key},
      {"flags", json::array(release->flags.begin(), release->flags.end())}});
  return approvals_.Request(caller, std::move(request));
}

}  // namespace warden::releases
